// Messaging evaluates the receiver's receive options once, at send time (messaging/receive-options.ts);
// the engine trusts that verdict (RecipientOutcome.push/reason) and translates its reason to the push
// reason names traces use (push/decide/skip-reasons.ts). decide() is then fed without receive options, so the
// options are evaluated in exactly one place.
import type { NoPushReason } from './decide.js';

export function receiveReasonToSkip(reason: string): NoPushReason | string {
  if (reason === 'global-dnd') return 'dnd-window';
  if (reason === 'group-msgflag-not-notify' || reason === 'group-msgflag-discard') return reason;
  if (reason.startsWith('c2c-')) return 'receiver-muted-c2c';
  if (reason.startsWith('group-')) return 'receiver-muted-group';
  return reason;
}
