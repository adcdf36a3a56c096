// Live notices of the relationship chain to the users' online SDK devices (V2TIMFriendshipListener's
// onFriendApplicationListAdded, onFriendApplicationListDeleted, onFriendListAdded, onFriendListDeleted,
// onBlackListAdded and onBlackListDeleted; Tencent-SDK sessions turn them into that SDK's FriendListMod
// pushes, gateway/tencent/friend-notices.ts). RelationService
// collects what a command changed in a FriendChanges and hands it here after its transaction commits; nothing
// is stored for offline devices, which read getFriendApplicationList and getFriendList when they come back.
import type { ProfileService } from '../apps/profiles.js';
import type { Router } from '../devices/router.js';
import type { Friend } from './friend.js';
import {
  APPLICATION_COME_IN,
  APPLICATION_SEND_OUT,
  applicationView,
  type FriendRequest,
} from './friend-requests.js';

/** What one relationship-chain command changed, announced once it is committed. */
export class FriendChanges {
  readonly requestsAdded: FriendRequest[] = [];
  /** Requests answered or removed: [from, to]. */
  readonly requestsDeleted: [string, string][] = [];
  /** [owner, friend]: `friend` entered `owner`'s list. */
  readonly friendsAdded: [string, string][] = [];
  /** [owner, friend]: `friend` left `owner`'s list. */
  readonly friendsDeleted: [string, string][] = [];
  /** [owner, peer]: `peer` entered `owner`'s blocklist. */
  readonly blocked: [string, string][] = [];
  /** [owner, peer]: `peer` left `owner`'s blocklist. */
  readonly unblocked: [string, string][] = [];

  get empty(): boolean {
    return (
      !this.requestsAdded.length &&
      !this.requestsDeleted.length &&
      !this.friendsAdded.length &&
      !this.friendsDeleted.length &&
      !this.blocked.length &&
      !this.unblocked.length
    );
  }
}

export class FriendNotices {
  constructor(
    private readonly router: Router,
    private readonly profiles: ProfileService,
    /** The owner's friend entries for these peers (RelationService.friends). */
    private readonly friendsOf: (
      sdkAppId: number,
      owner: string,
      peers: string[],
    ) => Promise<Map<string, Friend>>,
  ) {}

  async announce(sdkAppId: number, changes: FriendChanges): Promise<void> {
    if (changes.empty) return;
    const send = (userId: string, event: Parameters<Router['sendEvent']>[2]) =>
      this.router.sendEvent(sdkAppId, userId, event);

    if (changes.requestsAdded.length) {
      const people = changes.requestsAdded.flatMap((r) => [r.from, r.to]);
      const profiles = await this.profiles.profiles(sdkAppId, [...new Set(people)]);
      const application = (r: FriendRequest, other: string, type: number) =>
        applicationView(r, other, type, profiles.get(other));
      for (const r of changes.requestsAdded) {
        send(r.to, {
          type: 'event',
          event: 'friendApplicationListAdded',
          data: { applications: [application(r, r.from, APPLICATION_COME_IN)] },
        });
        send(r.from, {
          type: 'event',
          event: 'friendApplicationListAdded',
          data: { applications: [application(r, r.to, APPLICATION_SEND_OUT)] },
        });
      }
    }
    // Both sides had the request in their application list.
    for (const [from, to] of changes.requestsDeleted) {
      send(to, { type: 'event', event: 'friendApplicationListDeleted', data: { userIDList: [from] } });
      send(from, { type: 'event', event: 'friendApplicationListDeleted', data: { userIDList: [to] } });
    }
    for (const [owner, peers] of byFirst(changes.friendsAdded)) {
      const entries = await this.friendsOf(sdkAppId, owner, peers);
      const friends = [...entries.values()].map((f) => ({
        userID: f.userId,
        friendRemark: f.remark,
        friendGroups: f.groups,
        addTime: f.addTime,
      }));
      if (friends.length) send(owner, { type: 'event', event: 'friendListAdded', data: { friends } });
    }
    for (const [owner, peers] of byFirst(changes.friendsDeleted))
      send(owner, { type: 'event', event: 'friendListDeleted', data: { userIDList: peers } });
    for (const [owner, peers] of byFirst(changes.blocked))
      send(owner, { type: 'event', event: 'blackListAdded', data: { userIDList: peers } });
    for (const [owner, peers] of byFirst(changes.unblocked))
      send(owner, { type: 'event', event: 'blackListDeleted', data: { userIDList: peers } });
  }
}

/** [owner, peer] pairs as each owner's peers. */
function byFirst(pairs: [string, string][]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [owner, peer] of pairs) out.set(owner, [...(out.get(owner) ?? []), peer]);
  return out;
}
