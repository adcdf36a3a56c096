// apns-push-type values and the topic suffix each one requires (docs/internals/apns.md#request).

export const APNS_PUSH_TYPES = new Set([
  'alert',
  'background',
  'location',
  'voip',
  'complication',
  'fileprovider',
  'mdm',
  'liveactivity',
  'pushtotalk',
]);

/** Topic suffix per push type (docs/internals/apns.md#request). mdm uses the certificate UID, unchecked. */
export const TOPIC_SUFFIX: Record<string, string> = {
  voip: '.voip',
  complication: '.complication',
  fileprovider: '.pushkit.fileprovider',
  location: '.location-query',
  liveactivity: '.push-type.liveactivity',
  pushtotalk: '.voip-ptt',
};
export const ALL_SUFFIXES = Object.values(TOPIC_SUFFIX);
/** Push types Apple accepts with token auth only. */
export const TOKEN_ONLY_PUSH_TYPES = new Set(['location', 'liveactivity']);

/** The app's bundle ID: the topic without its push-type suffix. */
export function bundleOf(topic: string): string {
  for (const s of ALL_SUFFIXES) if (topic.endsWith(s)) return topic.slice(0, -s.length);
  return topic;
}
