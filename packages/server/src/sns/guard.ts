// The send checks of the relationship chain and global mutes (docs/internals/tencent-im.md#sending-rules):
// a muted sender (C2C 20012, group 10017), a receiver that blocked the sender (20007), and, when the app
// switched the friend check on, C2C between accounts that are not friends both ways (20009 / 20010 / 20011).
// The app administrator sending as itself is never checked: it has no lists and cannot be muted.
import type { AppsService } from '../apps/apps.js';
import { c2cFriendCheckEnabled } from '../apps/settings.js';
import { MessagingError } from '../messaging/errors.js';
import type { SendGuard } from '../messaging/send-guard.js';
import type { SendRequest } from '../messaging/send-request.js';
import type { MuteService } from './mutes.js';
import type { RelationService } from './relations.js';

export const SendRefusal = {
  /** The receiver blocked the sender. */
  Blocked: 20007,
  /** Friend check: neither is in the other's friend list. */
  NotFriendsBothWays: 20009,
  /** Friend check: the sender is not in the receiver's friend list. */
  NotPeersFriend: 20010,
  /** Friend check: the receiver is not in the sender's friend list. */
  PeerNotMyFriend: 20011,
  /** The sender is muted for C2C messages. */
  C2CMuted: 20012,
  /** The sender is muted for group messages. */
  GroupMuted: 10017,
} as const;

export class RelationGuard implements SendGuard {
  constructor(
    private readonly apps: AppsService,
    private readonly relations: RelationService,
    private readonly mutes: MuteService,
  ) {}

  async refusals(req: SendRequest): Promise<Map<string, MessagingError>> {
    const app = await this.apps.get(req.sdkAppId);
    if (!app || req.from === app.adminIdentifier) return new Map();
    return this.#refusals(req, c2cFriendCheckEnabled(app.settings));
  }

  /** Every refused receiver with its error (a muted sender: all of them, keyed ''). */
  async #refusals(req: SendRequest, friendCheck: boolean): Promise<Map<string, MessagingError>> {
    const out = new Map<string, MessagingError>();
    if (req.target.kind === 'group') {
      const mute = await this.mutes.get(req.sdkAppId, req.from);
      if (mute.group > 0)
        out.set(
          '',
          new MessagingError(
            SendRefusal.GroupMuted,
            `"${req.from}" is muted for group messages (openconfigsvr/setnospeaking) for ${describe(mute.group)}`,
          ),
        );
      return out;
    }
    // The mute and the blocklists in one read (a muted sender's blockers are read for nothing: rare).
    const to = req.target.to.filter((id) => id !== req.from);
    const { mute, blockers } = await this.mutes.c2cSendChecks(req.sdkAppId, req.from, to);
    if (mute.c2c > 0) {
      out.set(
        '',
        new MessagingError(
          SendRefusal.C2CMuted,
          `"${req.from}" is muted for one-to-one messages (openconfigsvr/setnospeaking) for ${describe(mute.c2c)}`,
        ),
      );
      return out;
    }
    for (const id of blockers)
      out.set(id, new MessagingError(SendRefusal.Blocked, `"${id}" blocked "${req.from}": message refused`));
    if (friendCheck) {
      const rest = to.filter((id) => !blockers.has(id));
      const rel = await this.relations.check(req.sdkAppId, req.from, rest);
      for (const id of rest) {
        const r = rel.get(id) ?? 'none';
        if (r === 'both') continue;
        const [code, why] =
          r === 'none'
            ? [SendRefusal.NotFriendsBothWays, `"${req.from}" and "${id}" are not friends`]
            : r === 'aWithB'
              ? [SendRefusal.NotPeersFriend, `"${req.from}" is not in "${id}"'s friend list`]
              : [SendRefusal.PeerNotMyFriend, `"${id}" is not in "${req.from}"'s friend list`];
        out.set(id, new MessagingError(code, `${why}; this app lets only friends message each other`));
      }
    }
    return out;
  }
}

function describe(seconds: number): string {
  return seconds >= 4_294_967_295 ? 'ever' : `${seconds} more seconds`;
}
