// Why a push audience (a Condition of tags or attributes) is refused, as message keys with English texts:
// resolveCondition and checkTag throw AudienceError with a key of this table and its values next to
// Tencent's error code, the console API sends the key next to the English message, and the console writes it
// in its language (packages/console/src/i18n). The console imports this file, so it must stay plain data.
// {{field}} is the Condition's field (TagsAnd, TagsOr, AttrsAnd, AttrsOr); tags and names are shown as given.

export const AUDIENCE_ERROR_TEXTS = {
  audienceTooManyTags: 'Condition.{{field}} holds {{count}} tags; at most {{max}}',
  audienceAttrUndefined: 'Condition.{{field}}: attribute "{{name}}" is not defined (im_set_attr_name)',
  audienceAttrValueTooLong: 'Condition.{{field}}: the value of "{{name}}" is longer than {{max}} bytes',
  audienceTagRepeated: 'tag "{{tag}}" is in both TagsAnd and TagsOr',
  audienceTagsAndAttrs:
    'a Condition holds either tags (TagsAnd/TagsOr) or attributes (AttrsAnd/AttrsOr), not both',
  audienceTagEmpty: 'a tag must not be empty',
  audienceTagTooLong: 'tag "{{tag}}" is {{bytes}} bytes; at most {{max}}',
};

export type AudienceErrorKey = keyof typeof AUDIENCE_ERROR_TEXTS;
