// Call invitations (docs/internals/tencent-im.md#call-invitations-signaling): invite, inviteInGroup, cancel,
// accept, reject, and the server-side timeout. Every step is a custom message carrying the signaling envelope
// (envelope.ts), so it syncs to devices that come back; invitations ring background devices through call
// pushes (push/engine: VoIP first, expiring with the invitation) and cancel/timeout replace that
// notification. The invitation and each invitee's state are stored (store.ts): a restart loses no timeout.
import { randomBytes } from 'node:crypto';
import type { InviteParams as ContractInviteParams } from '@pushline/contracts';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { AccountsService } from '../apps/accounts.js';
import type { GroupsService } from '../messaging/groups.js';
import type { OfflinePushInfo } from '../messaging/message-types.js';
import { MessagingError, type MessagingService } from '../messaging/messages.js';
import type { Database } from '../store/schema.js';
import { SignalingAction, type SignalingActionType, type SignalingInfo } from './envelope.js';
import { type Sender, type SignalingStep, sendSignaling } from './send.js';
import { InviteStore, infoOf, type StoredInvite } from './store.js';

/** TUICallKit's CALL_WAITING_MAX_TIME: the timeout when the app does not give one. */
export const DEFAULT_TIMEOUT_SECONDS = 30;
/** TUICallKit's default `desc` of the invitation push. */
export const CALL_DESC = 'You have a new call invitation';
/** What the follow-ups show in place of the ringing notification. */
export const CANCELLED_DESC = 'Call cancelled';
export const MISSED_DESC = 'Missed call';
/** Invitations nobody waits for any more are deleted after this long. */
const KEEP_MS = 7 * 86_400_000;

/** Tencent's codes where Tencent has one (TIMErrorCode.h: 8010 invalid invite ID, 8011 no permission). */
export const SignalingErrorCode = {
  InvalidParameters: 6017,
  InviteNotFound: 8010,
  NoPermission: 8011,
  NotGroupMember: 10007,
  GroupNotFound: 10010,
  ReceiverNotFound: 90012,
} as const;

/** The `invite` op's data (@pushline/contracts' shape, shared with the SDK). */
export type InviteParams = ContractInviteParams<OfflinePushInfo>;

export interface GroupInviteParams {
  groupId: string;
  inviteeList: string[];
  data: string;
  timeout?: number;
}

export interface SignalingDeps {
  db: Kysely<Database>;
  messaging: MessagingService;
  groups: GroupsService;
  accounts: AccountsService;
  log: Logger;
  now: () => number;
}

export interface SignalingOptions {
  /** How often timeouts are swept; 0 = never automatically (tests call `sweep()`). Default 1 s. */
  sweepIntervalMs?: number;
}

export class SignalingService {
  readonly store: InviteStore;
  readonly #sweepIntervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #sweeping: Promise<number> | undefined;
  #lastPurge = 0;

  constructor(
    private readonly deps: SignalingDeps,
    options: SignalingOptions = {},
  ) {
    this.store = new InviteStore(deps.db);
    this.#sweepIntervalMs = options.sweepIntervalMs ?? 1_000;
  }

  async invite(c: Sender, p: InviteParams): Promise<{ inviteId: string }> {
    if (p.invitee === c.userId) fail('InvalidParameters', 'you cannot invite yourself');
    const exists = await this.deps.accounts.existing(c.sdkAppId, [p.invitee]);
    if (!exists.has(p.invitee)) fail('ReceiverNotFound', `invitee "${p.invitee}" is not registered`);
    const onlineOnly = p.onlineUserOnly === true;
    const invite = await this.#create(
      c,
      '',
      [p.invitee],
      p.data,
      p.timeout,
      onlineOnly,
      callPushInfo(p.offlinePushInfo),
    );
    await this.#undoOnFailure(invite, () =>
      this.#send(c, invite, {
        action: SignalingAction.Invite,
        invitees: [p.invitee],
        data: invite.data,
        push: 'ring',
      }),
    );
    return { inviteId: invite.inviteId };
  }

  /** Group invitations reach online members only (as in Tencent IM: no offline push for group calls). */
  async inviteInGroup(c: Sender, p: GroupInviteParams): Promise<{ inviteId: string }> {
    const invitees = [...new Set(p.inviteeList)];
    if (invitees.includes(c.userId)) fail('InvalidParameters', 'you cannot invite yourself');
    const group = await this.deps.groups.get(c.sdkAppId, p.groupId);
    if (!group) fail('GroupNotFound', `group "${p.groupId}" does not exist`);
    const members = await this.deps.groups.members(c.sdkAppId, p.groupId, {
      userIds: [c.userId, ...invitees],
    });
    const isMember = new Set(members.map((m) => m.userId));
    if (!isMember.has(c.userId)) fail('NotGroupMember', `you are not a member of group "${p.groupId}"`);
    const outsider = invitees.find((u) => !isMember.has(u));
    if (outsider) fail('InvalidParameters', `invitee "${outsider}" is not a member of group "${p.groupId}"`);
    const invite = await this.#create(c, p.groupId, invitees, p.data, p.timeout, true, undefined);
    await this.#undoOnFailure(invite, () =>
      this.#send(c, invite, { action: SignalingAction.Invite, invitees, data: invite.data, push: 'none' }),
    );
    return { inviteId: invite.inviteId };
  }

  /** The inviter withdraws the invitation from every invitee who has not answered. */
  async cancel(c: Sender, inviteId: string, data?: string): Promise<void> {
    const invite = await this.#existing(c, inviteId);
    if (invite.inviter !== c.userId) fail('NoPermission', 'only the inviter can cancel an invitation');
    const moved = await this.store.settle(c.sdkAppId, inviteId, null, 'cancelled', this.deps.now());
    if (moved.length === 0) notPending();
    await this.#send(c, invite, {
      action: SignalingAction.Cancel,
      invitees: moved,
      data: data ?? invite.data,
      push: 'clear',
      followUp: { Desc: CANCELLED_DESC },
    });
  }

  accept(c: Sender, inviteId: string, data?: string): Promise<void> {
    return this.#answer(c, inviteId, 'accepted', SignalingAction.Accept, data);
  }

  reject(c: Sender, inviteId: string, data?: string): Promise<void> {
    return this.#answer(c, inviteId, 'rejected', SignalingAction.Reject, data);
  }

  /**
   * The invitations still ringing for this user (pending, not expired): what addInvitedSignaling raises
   * again after the app was opened from a call notification. With `inviteId`, that one only.
   */
  async pending(c: Sender, inviteId?: string): Promise<SignalingInfo[]> {
    const invites = await this.store.pendingFor(c.sdkAppId, c.userId, this.deps.now());
    return invites
      .filter((i) => inviteId === undefined || i.inviteId === inviteId)
      .map((i) => infoOf(i, SignalingAction.Invite));
  }

  /**
   * Whether the invitation stopped ringing for this invitee (cancelled, accepted, rejected, timed out):
   * the dispatcher then drops a ringing push still in the queue. Unknown invitations keep ringing (their
   * push expires with them anyway).
   */
  async ringEnded(sdkAppId: number, inviteId: string, userId: string): Promise<boolean> {
    const status = await this.store.inviteeStatus(sdkAppId, inviteId, userId);
    return status !== undefined && status !== 'pending';
  }

  /** Sends the timeout of every invitee whose time is up; returns how many. Runs on a timer. */
  sweep(): Promise<number> {
    this.#sweeping ??= this.#sweep().finally(() => {
      this.#sweeping = undefined;
    });
    return this.#sweeping;
  }

  start(): void {
    if (this.#sweepIntervalMs <= 0 || this.#timer) return;
    this.#timer = setInterval(() => {
      this.sweep().catch((err) => this.deps.log.error({ err }, 'signaling timeout sweep failed'));
    }, this.#sweepIntervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#sweeping?.catch(() => {});
  }

  async #sweep(): Promise<number> {
    const now = this.deps.now();
    let done = 0;
    for (;;) {
      const due = await this.store.due(now, 100);
      let claimed = 0;
      let failed = 0;
      for (const d of due) {
        if (!(await this.store.claimTimeout(d.sdkAppId, d.inviteId, d.userId, now))) continue;
        claimed++;
        try {
          await this.#sendTimeout(d.sdkAppId, d.inviteId, d.userId);
          await this.store.finishTimeout(d.sdkAppId, d.inviteId, d.userId, now);
          done++;
        } catch (err) {
          this.deps.log.error({ err, inviteId: d.inviteId }, 'sending a call timeout failed; retrying later');
          await this.store.releaseTimeout(d.sdkAppId, d.inviteId, d.userId);
          failed++;
        }
      }
      // A failure comes back at the next sweep, not in a loop now.
      if (due.length < 100 || claimed === 0 || failed > 0) break;
    }
    if (now - this.#lastPurge >= 3_600_000) {
      this.#lastPurge = now;
      await this.store.purge(now - KEEP_MS);
    }
    return done;
  }

  /** Both sides learn of the timeout: the invitee from the inviter, the inviter through its synced copy. */
  async #sendTimeout(sdkAppId: number, inviteId: string, userId: string): Promise<void> {
    const invite = await this.store.get(sdkAppId, inviteId);
    if (!invite) return;
    const inviter: Sender = { sdkAppId, userId: invite.inviter };
    await this.#send(inviter, invite, {
      action: SignalingAction.Timeout,
      invitees: [userId],
      data: invite.data,
      push: 'clear',
      followUp: { Desc: MISSED_DESC },
    });
  }

  async #answer(
    c: Sender,
    inviteId: string,
    status: 'accepted' | 'rejected',
    action: SignalingActionType,
    data: string | undefined,
  ): Promise<void> {
    const invite = await this.#existing(c, inviteId);
    if (!invite.invitees.has(c.userId)) fail('NoPermission', 'this invitation is not addressed to you');
    const moved = await this.store.settle(c.sdkAppId, inviteId, [c.userId], status, this.deps.now());
    if (moved.length === 0) notPending();
    // The inviter learns the answer; the invitee's other devices stop ringing through their synced copy.
    await this.#send(c, invite, {
      action,
      invitees: [c.userId],
      data: data ?? invite.data,
      push: 'none',
      to: invite.inviter,
    });
  }

  #send(from: Sender, invite: StoredInvite, step: SignalingStep): Promise<void> {
    return sendSignaling(this.deps.messaging, from, invite, step);
  }

  async #existing(c: Sender, inviteId: string): Promise<StoredInvite> {
    const invite = await this.store.get(c.sdkAppId, inviteId);
    if (!invite) fail('InviteNotFound', `invitation "${inviteId}" does not exist`);
    return invite;
  }

  async #create(
    c: Sender,
    groupId: string,
    inviteeList: string[],
    data: string,
    timeout: number | undefined,
    onlineOnly: boolean,
    offlinePushInfo: OfflinePushInfo | undefined,
  ): Promise<StoredInvite> {
    const seconds = timeout ?? DEFAULT_TIMEOUT_SECONDS;
    const now = this.deps.now();
    const invite: StoredInvite = {
      sdkAppId: c.sdkAppId,
      inviteId: randomBytes(16).toString('hex'),
      inviter: c.userId,
      groupId,
      inviteeList,
      data,
      timeout: seconds,
      onlineOnly,
      ...(offlinePushInfo ? { offlinePushInfo } : {}),
      createdAt: now,
      expiresAt: seconds > 0 ? now + seconds * 1000 : null,
      invitees: new Map(inviteeList.map((u) => [u, 'pending'])),
    };
    await this.store.create(invite);
    return invite;
  }

  async #undoOnFailure(invite: StoredInvite, send: () => Promise<void>): Promise<void> {
    try {
      await send();
    } catch (err) {
      await this.store.remove(invite.sdkAppId, invite.inviteId);
      throw err;
    }
  }
}

/**
 * The invitation's push settings with TUICallKit's defaults where the app gave none
 * (docs/internals/tencent-im.md#call-invitations-signaling): desc "You have a new call invitation", vivo
 * classification 1 (system) and Huawei category IM. The ringing sounds (phone_ringing.mp3 / phone_ringing)
 * are the call defaults of push/render.
 */
export function callPushInfo(info: OfflinePushInfo | undefined): OfflinePushInfo {
  return {
    ...info,
    Desc: info?.Desc || CALL_DESC,
    AndroidInfo: { VIVOClassification: 1, HuaWeiCategory: 'IM', ...info?.AndroidInfo },
  };
}

function fail(code: keyof typeof SignalingErrorCode, message: string): never {
  throw new MessagingError(SignalingErrorCode[code], message);
}

function notPending(): never {
  fail('InviteNotFound', 'the invitation was already answered, cancelled or timed out');
}
