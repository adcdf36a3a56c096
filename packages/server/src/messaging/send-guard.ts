// Who may send at all, checked before anything else of a send (before the before-send callback, as in
// Tencent IM): global mutes, blocklists and the app's friend check (sns/guard.ts implements it).
import type { MessagingError } from './errors.js';
import type { SendRequest } from './send-request.js';

export interface SendGuard {
  /**
   * The receivers the send is refused for, each with its error (Tencent's code); key '' = the whole send
   * (a muted sender). Empty = allowed.
   */
  refusals(req: SendRequest): Promise<Map<string, MessagingError>>;
}
