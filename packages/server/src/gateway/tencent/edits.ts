// modifyMessage of Tencent's SDK (`openim.modify_c2c_msg`, `openim.modify_group_msg`) through Pushline's
// edit (messaging/history.ts modify, the one REST openim/modify_c2c_msg and modify_group_msg use): the stored
// message is rewritten and every device holding it is told — `@pushline/sdk` ones by `messageModified`,
// Tencent-SDK ones by the SDK's own notice (below), whichever door the edit came from. The SDK edits from the
// version of the message it holds (MsgVersion, 0 until the first edit): when another edit came first, the
// answer is Tencent's conflict (20027) with the message as the server has it, which the SDK takes over and
// reports as MSG_MODIFY_CONFLICT (2480).
import type { EditResult } from '../../messaging/history.js';
import { msgBody } from '../../messaging/message-types.js';
import type { MessageView } from '../../messaging/view.js';
import type { GatewayContext } from '../context.js';
import type { Session } from '../handler.js';
import { TencentCode } from './frames.js';
import type { ErrorOf } from './via-pushline.js';

type Body = Record<string, unknown>;

const isUint = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 2 ** 53;

/** Tencent's "the message was modified by someone else first" (modify_c2c_msg, modify_group_msg). */
const EDIT_CONFLICT = 20027;

/**
 * `From_Account`, `To_Account`, `MsgSeq`, `MsgRandom`, `MsgTime` (the message's MsgKey), `MsgVersion`,
 * `MsgBody` and/or `CloudCustomData`. A user edits the messages of its own conversations, sent or received, as with Tencent.
 */
export async function modifyC2CMessage(
  ctx: GatewayContext,
  s: Session,
  body: Body,
  fail: ErrorOf,
): Promise<Body> {
  const { From_Account: from, To_Account: to, MsgSeq: seq, MsgRandom: random, MsgTime: time } = body;
  if (typeof from !== 'string' || typeof to !== 'string' || (from !== s.userId && to !== s.userId))
    throw fail(
      TencentCode.InvalidParameters,
      'From_Account or To_Account must be you: edit your own conversations',
    );
  if (!isUint(seq) || !isUint(random) || !isUint(time))
    throw fail(TencentCode.InvalidParameters, 'MsgSeq, MsgRandom and MsgTime name the message');
  const edited = await ctx.history.modify(
    s.sdkAppId,
    { kind: 'c2c', from, to, msgKey: `${seq}_${random}_${time}` },
    patchOf(ctx, body, fail),
    versionOf(body, fail),
  );
  if (!edited) throw fail(20026, 'no such message (never stored, online only, recalled or expired)');
  return answer(edited, fail);
}

/** `GroupId`, `MsgSeq`, `MsgVersion`, `MsgBody` and/or `CloudCustomData`; the user must be a member. */
export async function modifyGroupMessage(
  ctx: GatewayContext,
  s: Session,
  body: Body,
  fail: ErrorOf,
): Promise<Body> {
  const { GroupId: groupId, MsgSeq: seq } = body;
  if (typeof groupId !== 'string' || groupId === '')
    throw fail(TencentCode.InvalidParameters, 'GroupId is required');
  if (body.TopicId !== undefined && body.TopicId !== '')
    throw fail(TencentCode.InvalidParameters, 'Pushline has no topics: leave TopicId out');
  if (!isUint(seq)) throw fail(TencentCode.InvalidParameters, 'MsgSeq names the message');
  const group = await ctx.groups.get(s.sdkAppId, groupId);
  if (!group) throw fail(10010, `group "${groupId}" does not exist`);
  if (group.type === 'AVChatRoom') throw fail(10007, 'AVChatRoom groups keep no messages to edit');
  const [me] = await ctx.groups.members(s.sdkAppId, groupId, { userIds: [s.userId] });
  if (!me) throw fail(10007, `you are not a member of group "${groupId}"`);
  const edited = await ctx.history.modify(
    s.sdkAppId,
    { kind: 'group', groupId, msgSeq: seq },
    patchOf(ctx, body, fail),
    versionOf(body, fail),
  );
  if (!edited) throw fail(10030, `group "${groupId}" has no stored message ${seq}`);
  return answer(edited, fail);
}

function patchOf(ctx: GatewayContext, body: Body, fail: ErrorOf) {
  const { MsgBody: elements, CloudCustomData: custom } = body;
  if (elements === undefined && custom === undefined)
    throw fail(
      TencentCode.InvalidParameters,
      'give MsgBody, CloudCustomData or both: there is nothing to modify',
    );
  if (custom !== undefined && typeof custom !== 'string')
    throw fail(TencentCode.InvalidParameters, 'CloudCustomData must be a string');
  if (elements === undefined) return { cloudCustomData: custom as string };
  const parsed = msgBody.safeParse(elements);
  if (!parsed.success)
    throw fail(TencentCode.InvalidParameters, `invalid MsgBody: ${parsed.error.issues[0]?.message}`);
  const size = Buffer.byteLength(JSON.stringify(parsed.data));
  if (size > ctx.options.maxMessageBytes)
    throw fail(80002, `message body is ${size} bytes; at most ${ctx.options.maxMessageBytes}`);
  return { body: parsed.data, ...(custom !== undefined ? { cloudCustomData: custom as string } : {}) };
}

/** `MsgVersion`: the version the edit is made from. The SDK always sends it; without it the edit applies. */
function versionOf(body: Body, fail: ErrorOf): number | undefined {
  const v = body.MsgVersion;
  if (v === undefined) return undefined;
  if (!isUint(v)) throw fail(TencentCode.InvalidParameters, 'MsgVersion must be the version you edit from');
  return v;
}

/** The message as the server has it: the answer to an edit, or the conflict's error body. */
function edited(m: MessageView): Body {
  return { MsgBody: m.body, CloudCustomData: m.cloudCustomData ?? '', MsgVersion: m.version ?? 0 };
}

function answer(result: EditResult, fail: ErrorOf): Body {
  if (!result.conflict) return edited(result.message);
  throw fail(
    EDIT_CONFLICT,
    `the message was edited since: it is at version ${result.message.version ?? 0}`,
    edited(result.message),
  );
}

/** The `messageModified` event of messaging/history.ts. */
interface Modified {
  message?: MessageView;
}

/**
 * The `im_open_push.msg_push` event that tells the SDK a message was edited: `C2cMsgModNotifys` or
 * `GroupMsgModNotifys`. The SDK finds its copy by sender, receiver (the group for group messages), MsgRandom,
 * MsgSeq and time and, when MsgVersion is above the version it holds, replaces its elements and emits
 * MESSAGE_MODIFIED. Undefined for an event it cannot read.
 */
export function modifiedNotice(data: unknown): Body | undefined {
  const m = (data as Modified)?.message;
  if (!m) return undefined;
  const item = {
    From_Account: m.from,
    MsgSeq: m.msgSeq,
    MsgRandom: m.msgRandom,
    MsgTimeStamp: m.msgTime,
    MsgBody: m.body,
    CloudCustomData: m.cloudCustomData ?? '',
    MsgVersion: m.version ?? 0,
  };
  if (m.type === 'group') return { Event: 12, GroupMsgModNotifys: [{ ...item, GroupId: m.groupId }] };
  return { Event: 11, C2cMsgModNotifys: [{ ...item, To_Account: m.to }] };
}
