// The relationship-chain notices of sns/friend-notices.ts (the same events `@pushline/sdk` devices get) as
// Tencent's SDK reads them: an `im_open_push.msg_push` event item `{Event, FriendListMod: [change]}`. The
// SDK dispatches on the key (not the Event number) and renames the change's keys to camelCase; PushType
// says what changed, with the SDK's own numbering: 1 friends added, 2 friends deleted, 3 request added,
// 4 requests deleted, 5 blocked, 6 unblocked (7, requests read, Pushline does not send). The SDK updates
// its loaded lists and emits FRIEND_LIST_UPDATED (reading the new friends' fields with
// sns.friend_get_specified first), FRIEND_APPLICATION_LIST_UPDATED (re-reading the list with
// sns.pendency_get after a deletion) or BLACKLIST_UPDATED.
import { APPLICATION_COME_IN } from '../../sns/friend-requests.js';
import type { ServerEvent } from '../protocol.js';

type Body = Record<string, unknown>;

/** Pushline's Event number for these items (the kick notice's, C2C notices); the SDK does not read it. */
const FRIEND_NOTICE_EVENT = 7;

const PushType = {
  FriendAdd: 1,
  FriendDelete: 2,
  RequestAdd: 3,
  RequestDelete: 4,
  BlockAdd: 5,
  BlockDelete: 6,
} as const;

/** The FriendListMod change for `viewer` of one relationship event; undefined for any other event. */
function changeOf(viewer: string, event: ServerEvent): Body | undefined {
  switch (event.event) {
    case 'friendListAdded':
      return {
        PushType: PushType.FriendAdd,
        FriendAdd_Account: event.data.friends.map((f) => f.userID),
      };
    case 'friendListDeleted':
      return { PushType: PushType.FriendDelete, FriendDel_Account: event.data.userIDList };
    case 'friendApplicationListAdded': {
      // One request per event (sns/friend-notices.ts); From_Account tells the SDK which way it goes.
      const [a] = event.data.applications;
      if (!a) return undefined;
      return {
        PushType: PushType.RequestAdd,
        From_Account: a.type === APPLICATION_COME_IN ? a.userID : viewer,
        PendencyAdd: [
          {
            Peer_Account: a.userID,
            NickName: a.nickName,
            FaceUrl: a.faceUrl,
            AddTime: a.addTime,
            AddSource: a.addSource,
            AddWording: a.addWording,
          },
        ],
      };
    }
    case 'friendApplicationListDeleted':
      // The SDK's own (misspelt) key.
      return { PushType: PushType.RequestDelete, FrienPencydDel_Account: event.data.userIDList };
    case 'blackListAdded':
      return { PushType: PushType.BlockAdd, BlackListAdd_Account: event.data.userIDList };
    case 'blackListDeleted':
      return { PushType: PushType.BlockDelete, BlackListDel_Account: event.data.userIDList };
    default:
      return undefined;
  }
}

/** The msg_push event item for `viewer`'s SDK, or undefined when the event is not a relationship change. */
export function friendListNotice(viewer: string, event: ServerEvent): Body | undefined {
  const change = changeOf(viewer, event);
  return change && { Event: FRIEND_NOTICE_EVENT, FriendListMod: [change] };
}
