// Handlers of the requests a logged-in client makes (everything but login/logout, which change the
// connection itself; see connection.ts). Each returns the response `data`.
import { randomInt } from 'node:crypto';
import {
  ALLOW_TYPE_TAG,
  CUSTOM_PREFIX,
  IMAGE_TAG,
  NICK_TAG,
  ProfileError,
  type ProfileItem,
} from '../apps/profiles.js';
import { muteReason } from '../messaging/groups.js';
import { MessagingError } from '../messaging/messages.js';
import { RecallError, type RecallRefusal } from '../messaging/recall.js';
import { c2cTarget, groupTarget } from '../messaging/receive-settings.js';
import { targetedReceivers } from '../messaging/targeted.js';
import { parseConversationId } from '../messaging/view.js';
import { optPlatform } from '../webhooks/sign.js';
import { validateOfflinePushConfig } from './bindings.js';
import { groupOps } from './group-ops.js';
import type { Handler } from './handler.js';
import { GatewayError, GatewayErrorCode, type Op } from './protocol.js';
import { snsOps } from './sns-ops.js';
import { userInfo, V2TIM_ALLOW_TYPES } from './user-info.js';

type SessionOps = Exclude<Op, 'login' | 'logout'>;

export const sessionOps: { [O in SessionOps]: Handler<O> } = {
  ...groupOps,

  ...snsOps,
  async heartbeat(ctx) {
    return { serverTime: ctx.now() };
  },

  async setOfflinePushConfig(ctx, s, { config }) {
    const binding = config ? await validateOfflinePushConfig(ctx.certificates, s.sdkAppId, config) : null;
    await ctx.bindings.set(s.sdkAppId, s.userId, s.instanceId, binding);
    return {};
  },

  async doBackground(ctx, s, { unreadCount }) {
    await ctx.sessions.background(s.sdkAppId, s.userId, s.instanceId, unreadCount);
    return {};
  },

  async doForeground(ctx, s) {
    await ctx.sessions.foreground(s.sdkAppId, s.userId, s.instanceId);
    return {};
  },

  async sendMessage(ctx, s, m) {
    if (m.needReadReceipt === true)
      refuse('needReadReceipt', 'Pushline has no message read receipts; send false or leave it out');
    if (m.isSupportMessageExtension === true)
      refuse(
        'isSupportMessageExtension',
        'Pushline has no message extensions (key-value extensions of a sent message); send false or leave it out',
      );
    const size = Buffer.byteLength(JSON.stringify(m.body));
    if (size > ctx.options.maxMessageBytes) {
      throw new GatewayError(80002, `message body is ${size} bytes; at most ${ctx.options.maxMessageBytes}`);
    }
    if (m.receiver !== undefined) {
      const exists = await ctx.accounts.existing(s.sdkAppId, [m.receiver]);
      if (!exists.has(m.receiver))
        throw new GatewayError(90012, `receiver "${m.receiver}" is not registered`);
    }
    let receivers: string[] | undefined;
    try {
      if (m.groupId !== undefined) {
        const group = await ctx.groups.get(s.sdkAppId, m.groupId);
        if (!group) throw new GatewayError(10010, `group "${m.groupId}" does not exist`);
        const [me] = await ctx.groups.members(s.sdkAppId, m.groupId, { userIds: [s.userId] });
        if (!me) throw new GatewayError(10007, `you are not a member of group "${m.groupId}"`);
        const muted = muteReason(group, me, Math.floor(ctx.now() / 1000));
        if (muted) throw new GatewayError(10017, muted);
        if (m.receiverList !== undefined)
          receivers = await targetedReceivers(ctx.groups, s.sdkAppId, group, m.receiverList, {
            field: 'receiverList',
            mentions: (m.atUserList?.length ?? 0) > 0,
          });
      }
      const r = await ctx.messaging.send({
        sdkAppId: s.sdkAppId,
        source: 'sdk',
        from: s.userId,
        target:
          m.receiver !== undefined
            ? { kind: 'c2c', to: [m.receiver] }
            : { kind: 'group', groupId: m.groupId!, ...(receivers ? { receivers } : {}) },
        body: m.body,
        offlinePushInfo: m.offlinePushInfo,
        lifeTime: m.lifeTime ?? 604_800,
        onlineOnly: m.onlineUserOnly === true,
        msgRandom: m.random ?? randomInt(0, 2 ** 32 - 1),
        cloudCustomData: m.cloudCustomData,
        sendMsgControl: [
          ...(m.isExcludedFromUnreadCount === true ? ['NoUnread'] : []),
          ...(m.isExcludedFromLastMessage === true ? ['NoLastMsg'] : []),
        ],
        syncOtherMachine: 1,
        atAccounts: m.atUserList,
        senderInstanceId: s.instanceId,
        callbacks: {
          origin: { ClientIP: s.clientIp, OptPlatform: optPlatform(s.platform) },
          before: true,
          after: true,
          operator: s.userId,
        },
      });
      return {
        msgKey: r.msgKey,
        msgSeq: r.msgSeq,
        msgTime: r.msgTime,
        duplicate: r.duplicate,
        ...(r.senderSeq !== undefined ? { seq: r.senderSeq } : {}),
      };
    } catch (err) {
      if (err instanceof MessagingError) throw new GatewayError(err.code, err.message);
      throw err;
    }
  },

  async markConversationRead(ctx, s, { conversationId }) {
    requireConversationId(conversationId);
    const totalUnread = await ctx.inbox.markRead(s.sdkAppId, s.userId, conversationId, s.instanceId);
    return { totalUnread };
  },

  async getUsersInfo(ctx, s, { userIds }) {
    const found = await ctx.profiles.profiles(s.sdkAppId, userIds);
    return {
      users: [...new Set(userIds)].flatMap((id) => (found.has(id) ? [userInfo(found.get(id)!)] : [])),
    };
  },

  async setSelfInfo(ctx, s, info) {
    const items: ProfileItem[] = [];
    if (info.nickName !== undefined) items.push({ Tag: NICK_TAG, Value: info.nickName });
    if (info.faceUrl !== undefined) items.push({ Tag: IMAGE_TAG, Value: info.faceUrl });
    if (info.allowType !== undefined)
      items.push({ Tag: ALLOW_TYPE_TAG, Value: V2TIM_ALLOW_TYPES[info.allowType]! });
    for (const [name, value] of Object.entries(info.customInfo ?? {}))
      items.push({ Tag: `${CUSTOM_PREFIX}${name}`, Value: value });
    try {
      return { user: userInfo(await ctx.profiles.set(s.sdkAppId, s.userId, items)) };
    } catch (err) {
      if (err instanceof ProfileError) throw new GatewayError(err.code, err.message);
      throw err;
    }
  },

  async getConversationList(ctx, s) {
    // Pinned conversations first (in their own order), as V2TIM lists them.
    const conversations = (await ctx.inbox.conversations(s.sdkAppId, s.userId)).sort(
      (a, b) => Number(b.pinned) - Number(a.pinned),
    );
    const totalUnread = conversations.reduce((sum, c) => sum + c.unread, 0);
    return { conversations, totalUnread };
  },

  async getTotalUnreadMessageCount(ctx, s) {
    return { totalUnread: await ctx.inbox.totalUnread(s.sdkAppId, s.userId) };
  },

  async getMessageList(ctx, s, { conversationId, count, beforeSeq }) {
    requireConversationId(conversationId);
    const entries = await ctx.inbox.history(s.sdkAppId, s.userId, conversationId, count, beforeSeq);
    // The protocol's history item (docs/protocol.md); the entry's device-side facts stay on the server.
    return {
      messages: entries.map(({ seq, conversationId, message }) => ({ seq, conversationId, message })),
    };
  },

  async setC2CReceiveMessageOpt(ctx, s, { userIds, opt }) {
    await ctx.receiveSettings.setOpt(s.sdkAppId, s.userId, userIds.map(c2cTarget), opt);
    return {};
  },

  async getC2CReceiveMessageOpt(ctx, s, { userIds }) {
    const opts = await ctx.receiveSettings.optsOf(s.sdkAppId, s.userId, userIds.map(c2cTarget));
    return { options: userIds.map((userId) => ({ userId, opt: opts.get(c2cTarget(userId)) ?? 0 })) };
  },

  async setGroupReceiveMessageOpt(ctx, s, { groupId, opt }) {
    await ctx.receiveSettings.setOpt(s.sdkAppId, s.userId, [groupTarget(groupId)], opt);
    return {};
  },

  async getGroupReceiveMessageOpt(ctx, s, { groupId }) {
    const opts = await ctx.receiveSettings.optsOf(s.sdkAppId, s.userId, [groupTarget(groupId)]);
    return { groupId, opt: opts.get(groupTarget(groupId)) ?? 0 };
  },

  async setAllReceiveMessageOpt(ctx, s, { opt, startTimeStamp, duration }) {
    await ctx.receiveSettings.setDnd(s.sdkAppId, s.userId, {
      opt,
      startTime: startTimeStamp,
      duration,
      repeat: duration >= 86_400 ? 'permanent' : 'daily',
      level: 0,
    });
    return {};
  },

  async invite(ctx, s, p) {
    const { inviteId } = await signaling(() =>
      ctx.signaling.invite(s, {
        invitee: p.invitee,
        data: p.data,
        ...(p.onlineUserOnly !== undefined ? { onlineUserOnly: p.onlineUserOnly } : {}),
        ...(p.offlinePushInfo ? { offlinePushInfo: p.offlinePushInfo } : {}),
        ...(p.timeout !== undefined ? { timeout: p.timeout } : {}),
      }),
    );
    return { inviteId };
  },

  async inviteInGroup(ctx, s, p) {
    if (p.onlineUserOnly === false)
      refuse(
        'onlineUserOnly',
        'group invitations reach online members only in Pushline (neither stored for later nor pushed); send true or leave it out',
      );
    const { inviteId } = await signaling(() =>
      ctx.signaling.inviteInGroup(s, {
        groupId: p.groupId,
        inviteeList: p.inviteeList,
        data: p.data,
        ...(p.timeout !== undefined ? { timeout: p.timeout } : {}),
      }),
    );
    return { inviteId };
  },

  async cancel(ctx, s, { inviteId, data }) {
    await signaling(() => ctx.signaling.cancel(s, inviteId, data));
    return {};
  },

  async accept(ctx, s, { inviteId, data }) {
    await signaling(() => ctx.signaling.accept(s, inviteId, data));
    return {};
  },

  async reject(ctx, s, { inviteId, data }) {
    await signaling(() => ctx.signaling.reject(s, inviteId, data));
    return {};
  },

  async getPendingInvitations(ctx, s, { inviteId }) {
    return { invitations: await ctx.signaling.pending(s, inviteId) };
  },

  async revokeMessage(ctx, s, { conversationId, msgKey }) {
    const conv = parseConversationId(conversationId);
    if (!conv)
      throw new GatewayError(
        GatewayErrorCode.InvalidParameters,
        'conversationId must be c2c_<userID> or group_<groupID>',
      );
    // Tencent's codes: C2C 20022 not found (or not the user's), 20023 already recalled, 20016 past the time
    // limit; group 10030 not found (a recalled one too), 10031 past the time limit, 10007 neither the sender
    // nor the group's owner or an admin.
    const codes: Record<RecallRefusal, number> =
      conv.type === 'c2c'
        ? { 'not-found': 20022, 'already-recalled': 20023, 'too-late': 20016, 'not-sender': 20022 }
        : { 'not-found': 10030, 'already-recalled': 10030, 'too-late': 10031, 'not-sender': 10007 };
    let mayRecallOthers = false;
    if (conv.type === 'group') {
      const [me] = await ctx.groups.members(s.sdkAppId, conv.target, { userIds: [s.userId] });
      if (!me) throw new GatewayError(10007, `you are not a member of group "${conv.target}"`);
      mayRecallOthers = me.role === 'Owner' || me.role === 'Admin';
    }
    try {
      await ctx.recall.recall(
        s.sdkAppId,
        conv.type === 'c2c'
          ? { kind: 'c2c', from: s.userId, to: conv.target, msgKey }
          : { kind: 'group', groupId: conv.target, msgKey },
        { kind: 'user', userId: s.userId, mayRecallOthers },
      );
    } catch (err) {
      if (err instanceof RecallError) throw new GatewayError(codes[err.reason], err.message);
      throw err;
    }
    return {};
  },

  async getAllReceiveMessageOpt(ctx, s) {
    const dnd = (await ctx.receiveSettings.dndOf(s.sdkAppId, [s.userId])).get(s.userId);
    return dnd
      ? { opt: dnd.opt, startTimeStamp: dnd.startTime, duration: dnd.duration, repeat: dnd.repeat }
      : { opt: 0, startTimeStamp: 0, duration: 0, repeat: 'daily' };
  },
};

/** Signaling refusals carry their Tencent code to the client. */
async function signaling<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof MessagingError) throw new GatewayError(err.code, err.message);
    throw err;
  }
}

/** A field Pushline does not implement, set to what it cannot do: 6017 naming the field. */
function refuse(field: string, why: string): never {
  throw new GatewayError(GatewayErrorCode.InvalidParameters, `${field}: ${why}`);
}

function requireConversationId(id: string): void {
  if (!parseConversationId(id)) {
    throw new GatewayError(
      GatewayErrorCode.InvalidParameters,
      'conversationId must be c2c_<userID> or group_<groupID>',
    );
  }
}
