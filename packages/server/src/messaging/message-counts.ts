// The day's message counters of getappinfo (apps/daily-stats.ts), fed by a post-commit hook.
import type { DailyStats } from '../apps/daily-stats.js';
import type { CommittedMessage, RecipientOutcome } from './hooks.js';

/**
 * Counts one committed message (a post-commit hook of messaging/messages.ts): one up message from its
 * sender, one down message per recipient that received it. Group tips and system notifications are not
 * messages a user sent and are not counted.
 */
export function countMessage(
  stats: DailyStats,
  message: CommittedMessage,
  recipients: RecipientOutcome[],
): void {
  if (message.groupTip) return;
  const app = message.sdkAppId;
  const c2c = message.type === 'c2c';
  stats.add(app, c2c ? 'c2c_up' : 'group_up');
  stats.add(app, c2c ? 'c2c_down' : 'group_down', recipients.length);
  stats.saw(app, c2c ? 'c2c_sender' : 'group_sender', message.from);
  stats.saw(app, 'sender', message.from);
  stats.saw(app, 'active', message.from);
  if (!c2c && message.groupId !== undefined) stats.saw(app, 'group_with_message', message.groupId);
}
