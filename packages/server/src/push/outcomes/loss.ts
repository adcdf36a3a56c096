// How a skipped push shows in normal_push_loss. Tencent names two ready-to-send losses (-1 "certificate
// id not set", -2 "token not uploaded"); Pushline's other named reasons keep their name as the code.
// Skips the sender or receiver asked for (PushFlag, mutes, foreground...) are not losses.
import { explainSkipReason, type PushSkipReason } from '../decide/skip-reasons.js';

const TENCENT_LOSS: Partial<Record<PushSkipReason, { code: string; info: string }>> = {
  'certificate-missing': { code: '-1', info: 'certificate id not set' },
  'no-binding': { code: '-2', info: 'token not uploaded' },
};

/** Reasons that are a choice, not a failure: counted in traces but not in TotalCount or losses. */
const INTENDED: ReadonlySet<string> = new Set<PushSkipReason>([
  'push-flag-off',
  'online-only',
  'avchatroom-group',
  'group-call-invite',
  'sender-self',
  'receiver-muted-c2c',
  'receiver-muted-group',
  'dnd-window',
  'group-msgflag-discard',
  'group-msgflag-not-notify',
  'instance-offline',
  'instance-foreground',
  // The call went to the same device's VoIP token instead.
  'call-via-voip',
]);

/** Whether a skip reason is a ready-to-send loss (counted in TotalCount and normal_push_loss). */
export function isLoss(reason: string): boolean {
  return !INTENDED.has(reason);
}

/** The ErrCode/ErrInfo pair a skip reason shows as. */
export function lossCode(reason: string): { code: string; info: string } {
  return (
    (TENCENT_LOSS as Record<string, { code: string; info: string }>)[reason] ?? {
      code: reason,
      info: explainSkipReason(reason),
    }
  );
}

/** ErrInfo of a post-send loss, by outcome. */
export const POST_SEND_LOSS_INFO: Record<string, string> = {
  'invalid-token': 'the vendor refused the device token; the binding was removed',
  rejected: 'the vendor refused this notification (too large, bad field...)',
  'credential-error': 'the vendor refused the push certificate or key',
  failed: 'gave up after the last retry',
  undelivered: 'the vendor reported the notification was not delivered',
};
