// The `Condition` of all-member pushes (all_member_push/im_push, timpush/push): TagsAnd / TagsOr (tag lists)
// or AttrsAnd / AttrsOr (attribute name -> value). Tag and attribute conditions cannot be mixed; And and Or
// of the same kind may be combined and must then both hold. No condition (or an empty one) means everyone.
//
// `resolveCondition` validates a condition with Tencent's codes and turns attribute names into attribute
// numbers, giving an AudienceFilter: plain JSON that a push task stores and the audience query evaluates.
import { z } from 'zod';
import { AudienceError, AudienceLimits, byteLength, PushErrorCode } from './errors.js';
import { checkTag } from './tags.js';

export const conditionSchema = z.strictObject({
  TagsAnd: z.array(z.string()).optional(),
  TagsOr: z.array(z.string()).optional(),
  AttrsAnd: z.record(z.string(), z.string()).optional(),
  AttrsOr: z.record(z.string(), z.string()).optional(),
});
export type Condition = z.infer<typeof conditionSchema>;

export interface AttrMatch {
  /** Attribute number 0..9. */
  slot: number;
  value: string;
}

/** A validated condition. Every list may be empty; all of them empty means every account. */
export interface AudienceFilter {
  /** The user holds every one of these tags. */
  tagsAnd: string[];
  /** The user holds at least one of these tags (ignored when empty). */
  tagsOr: string[];
  /** The user has every one of these values. */
  attrsAnd: AttrMatch[];
  /** The user has at least one of these values (ignored when empty). */
  attrsOr: AttrMatch[];
}

export type AudienceKind = 'all-member' | 'tag' | 'attr';

export function audienceKind(filter: AudienceFilter | undefined): AudienceKind {
  if (!filter) return 'all-member';
  if (filter.tagsAnd.length > 0 || filter.tagsOr.length > 0) return 'tag';
  if (filter.attrsAnd.length > 0 || filter.attrsOr.length > 0) return 'attr';
  return 'all-member';
}

function checkTagList(field: string, tags: string[]): string[] {
  if (tags.length > AudienceLimits.maxTagsPerRequest) {
    throw AudienceError.keyed(PushErrorCode.TooManyTags, 'audienceTooManyTags', {
      field,
      count: tags.length,
      max: AudienceLimits.maxTagsPerRequest,
    });
  }
  for (const t of tags) checkTag(t);
  return [...new Set(tags)];
}

function checkAttrs(field: string, attrs: Record<string, string>, slots: Map<string, number>): AttrMatch[] {
  return Object.entries(attrs).map(([name, value]) => {
    const slot = slots.get(name);
    if (slot === undefined) {
      throw AudienceError.keyed(PushErrorCode.InvalidAttribute, 'audienceAttrUndefined', { field, name });
    }
    if (byteLength(value) > AudienceLimits.maxAttrValueBytes) {
      throw AudienceError.keyed(PushErrorCode.InvalidAttribute, 'audienceAttrValueTooLong', {
        field,
        name,
        max: AudienceLimits.maxAttrValueBytes,
      });
    }
    return { slot, value };
  });
}

/**
 * Validates a condition and resolves attribute names (name -> number, from the app's im_set_attr_name).
 * Returns undefined for "every account". Throws AudienceError with Tencent's code.
 */
export function resolveCondition(
  condition: Condition | undefined,
  attrSlots: Map<string, number>,
): AudienceFilter | undefined {
  if (!condition) return undefined;
  const tagsAnd = checkTagList('TagsAnd', condition.TagsAnd ?? []);
  const tagsOr = checkTagList('TagsOr', condition.TagsOr ?? []);
  const andSet = new Set(tagsAnd);
  const repeated = tagsOr.find((t) => andSet.has(t));
  if (repeated !== undefined) {
    throw AudienceError.keyed(PushErrorCode.TagRepeated, 'audienceTagRepeated', { tag: repeated });
  }
  const hasTags = tagsAnd.length > 0 || tagsOr.length > 0;
  const hasAttrs =
    Object.keys(condition.AttrsAnd ?? {}).length > 0 || Object.keys(condition.AttrsOr ?? {}).length > 0;
  if (hasTags && hasAttrs) {
    throw AudienceError.keyed(PushErrorCode.TagsAndAttrsMixed, 'audienceTagsAndAttrs');
  }
  const filter: AudienceFilter = {
    tagsAnd,
    tagsOr,
    attrsAnd: checkAttrs('AttrsAnd', condition.AttrsAnd ?? {}, attrSlots),
    attrsOr: checkAttrs('AttrsOr', condition.AttrsOr ?? {}, attrSlots),
  };
  return audienceKind(filter) === 'all-member' ? undefined : filter;
}
