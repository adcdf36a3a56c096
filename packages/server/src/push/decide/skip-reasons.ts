// Every reason a device got no push, from the decision and from rendering, with the one-line
// explanation that traces and the troubleshooter show.

import { RENDER_FAILURES } from '../render/index.js';
import { NO_PUSH_REASONS } from './decide.js';

export const PUSH_SKIP_REASONS = { ...NO_PUSH_REASONS, ...RENDER_FAILURES } as const;
export type PushSkipReason = keyof typeof PUSH_SKIP_REASONS;

/** The explanation of a reason, or the reason itself when it is unknown (an older trace row...). */
export function explainSkipReason(reason: string): string {
  return (PUSH_SKIP_REASONS as Record<string, string>)[reason] ?? reason;
}
