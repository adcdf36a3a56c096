// Console hooks without a browser: a component rendered to a string (react-dom/server) calls the hook and
// hands back what it returned. Enough for hooks that only read context (react-i18next's useTranslation).
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';

interface ProbeProps {
  hook: () => unknown;
  found: (value: unknown) => void;
}

function Probe({ hook, found }: ProbeProps) {
  found(hook());
  return null;
}

export function callHook<T>(hook: () => T): T {
  let result: { value: T } | undefined;
  renderToString(createElement(Probe, { hook, found: (value) => (result = { value: value as T }) }));
  if (!result) throw new Error('the hook did not run');
  return result.value;
}
