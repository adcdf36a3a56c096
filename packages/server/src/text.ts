// Text every door refuses, whatever the field: strings that have no UTF-8 form (lone UTF-16 surrogates,
// which JSON's \ud800 escapes can produce) and NUL characters (PostgreSQL text cannot hold them). Storing
// either would corrupt the value (SQLite keeps invalid UTF-8, PostgreSQL refuses or replaces it), so that
// what was written could not be found again.

/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const TEXT_PROBLEMS = {
  notUnicode: 'is not well-formed Unicode (lone UTF-16 surrogate)',
  nul: 'must not contain NUL characters',
};

export type TextProblemKind = keyof typeof TEXT_PROBLEMS;

/** Which rule `text` breaks, or undefined (for callers that word the problem themselves). */
export function textProblemKind(text: string): TextProblemKind | undefined {
  if (LONE_SURROGATE.test(text)) return 'notUnicode';
  if (text.includes('\u0000')) return 'nul';
  return undefined;
}

/** Why `text` cannot be accepted, or undefined. */
export function textProblem(text: string): string | undefined {
  const kind = textProblemKind(text);
  return kind && TEXT_PROBLEMS[kind];
}

interface Node {
  value: unknown;
  key: string | number | undefined;
  parent: Node | undefined;
}

function pathOf(node: Node): (string | number)[] {
  const path: (string | number)[] = [];
  for (let n: Node | undefined = node; n?.key !== undefined; n = n.parent) path.unshift(n.key);
  return path;
}

/**
 * The first string (object keys included) in a JSON-like value that `textProblem` refuses, with its path
 * (`MsgBody.0.MsgContent.Text`), or undefined. Iterative, so that deep nesting cannot overflow the stack.
 */
export function findBadText(
  value: unknown,
): { path: (string | number)[]; problem: string; kind: TextProblemKind; inKey: boolean } | undefined {
  const stack: Node[] = [{ value, key: undefined, parent: undefined }];
  for (let node = stack.pop(); node; node = stack.pop()) {
    const v = node.value;
    if (typeof v === 'string') {
      const kind = textProblemKind(v);
      if (kind) return { path: pathOf(node), problem: TEXT_PROBLEMS[kind], kind, inKey: false };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], key: i, parent: node });
    } else if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        const kind = textProblemKind(key);
        if (kind)
          return {
            path: [...pathOf(node), key],
            problem: `has a key that ${TEXT_PROBLEMS[kind]}`,
            kind,
            inKey: true,
          };
        stack.push({ value: (v as Record<string, unknown>)[key], key, parent: node });
      }
    }
  }
  return undefined;
}
