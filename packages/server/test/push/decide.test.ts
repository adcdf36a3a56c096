import { describe, expect, it } from 'vitest';
import type { MsgBody } from '../../src/messaging/message-types.js';
import { fromMsgFlag, receiveSettingsApply } from '../../src/messaging/receive-options.js';
import {
  type DecideInstance,
  type DecideMessage,
  type DecideRecipient,
  decide,
  NO_PUSH_REASONS,
  prepareDecision,
} from '../../src/push/decide.js';
import { inDndWindow, ReceiveOpt } from '../../src/push/decide-receive-options.js';
import { explainSkipReason, PUSH_SKIP_REASONS } from '../../src/push/push-reasons.js';

const NOW = Date.UTC(2026, 10, 21, 12, 0, 0); // 12:00 UTC
const text: MsgBody = [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } }];

const message = (over: Partial<DecideMessage> = {}): DecideMessage => ({
  kind: 'message',
  origin: 'client',
  chatType: 'c2c',
  senderId: 'alice',
  body: text,
  ...over,
});
const bob = (over: Partial<DecideRecipient> = {}): DecideRecipient => ({ userId: 'bob', ...over });
const background = (over: Partial<DecideInstance> = {}): DecideInstance => ({
  state: 'background',
  binding: { tokenType: 0, certificate: { status: 'active' } },
  ...over,
});

function run(m: Partial<DecideMessage>, r: Partial<DecideRecipient> = {}, i: Partial<DecideInstance> = {}) {
  return decide({ message: message(m), recipient: bob(r), instance: background(i), now: NOW });
}
const reasonOf = (...args: Parameters<typeof run>) => {
  const d = run(...args);
  return d.push ? 'push' : d.reason;
};

describe('decide', () => {
  it('pushes an ordinary C2C message to a background instance with a binding', () => {
    expect(run({})).toEqual({ push: true });
  });

  it('PushFlag 1 -> push-flag-off, before anything else', () => {
    expect(reasonOf({ offlinePushInfo: { PushFlag: 1 }, msgLifeTime: 0 }, {}, { state: 'foreground' })).toBe(
      'push-flag-off',
    );
    expect(reasonOf({ offlinePushInfo: { PushFlag: 0 } })).toBe('push');
  });

  it('MsgLifeTime 0 and online-only flags -> online-only', () => {
    expect(reasonOf({ msgLifeTime: 0 })).toBe('online-only');
    expect(reasonOf({ onlineOnly: true })).toBe('online-only');
    expect(reasonOf({ msgLifeTime: 60 })).toBe('push');
  });

  it('AVChatRoom group messages and group call invitations are never pushed', () => {
    expect(reasonOf({ chatType: 'group', groupType: 'AVChatRoom' })).toBe('avchatroom-group');
    expect(reasonOf({ chatType: 'group', groupType: 'Work' })).toBe('push');
    expect(reasonOf({ chatType: 'group', kind: 'call' })).toBe('group-call-invite');
  });

  it('expired messages and invitations -> expired', () => {
    expect(reasonOf({ expiresAt: NOW })).toBe('expired');
    expect(reasonOf({ expiresAt: NOW + 1 })).toBe('push');
  });

  it("the sender's own devices get no push", () => {
    expect(reasonOf({ senderId: 'bob' })).toBe('sender-self');
  });

  describe('receive options (V2TIM 0..4)', () => {
    it('C2C option: 0 pushes, 1/2 block, 3/4 block because a C2C message has no @', () => {
      expect(reasonOf({}, { c2cOpt: ReceiveOpt.Receive })).toBe('push');
      for (const opt of [1, 2, 3, 4] as const)
        expect(reasonOf({}, { c2cOpt: opt })).toBe('receiver-muted-c2c');
    });

    it('group option: 3 and 4 let @ messages through, 1 and 2 never', () => {
      const group = { chatType: 'group' as const };
      expect(reasonOf(group, { groupOpt: 0 })).toBe('push');
      for (const opt of [1, 2, 3, 4] as const)
        expect(reasonOf(group, { groupOpt: opt })).toBe('receiver-muted-group');
      expect(reasonOf(group, { groupOpt: 3, atMe: true })).toBe('push');
      expect(reasonOf(group, { groupOpt: 4, atMe: true })).toBe('push');
      expect(reasonOf(group, { groupOpt: 2, atMe: true })).toBe('receiver-muted-group');
    });

    it('a group option does not apply to C2C messages and vice versa', () => {
      expect(reasonOf({}, { groupOpt: 2 })).toBe('push');
      expect(reasonOf({ chatType: 'group' }, { c2cOpt: 2 })).toBe('push');
    });

    it('REST sends ignore receive options and DND unless SendMsgControl has WithMuteNotifications', () => {
      const dnd = { opt: ReceiveOpt.ReceiveNotNotify, startTimeStamp: NOW / 1000 - 60, duration: 3600 };
      expect(reasonOf({ origin: 'rest' }, { c2cOpt: 2 })).toBe('push');
      expect(reasonOf({ origin: 'rest', sendMsgControl: ['NoUnread'] }, { global: dnd })).toBe('push');
      expect(reasonOf({ origin: 'rest', sendMsgControl: ['WithMuteNotifications'] }, { c2cOpt: 2 })).toBe(
        'receiver-muted-c2c',
      );
      expect(reasonOf({ origin: 'rest', sendMsgControl: ['WithMuteNotifications'] }, { global: dnd })).toBe(
        'dnd-window',
      );
    });
  });

  describe('global do-not-disturb', () => {
    const start = NOW / 1000 - 3600; // started an hour ago (11:00 UTC)
    it('blocks inside the window and not outside', () => {
      expect(reasonOf({}, { global: { opt: 2, startTimeStamp: start, duration: 7200 } })).toBe('dnd-window');
      expect(reasonOf({}, { global: { opt: 2, startTimeStamp: start, duration: 1800 } })).toBe('push');
    });
    it('repeats daily when shorter than a day, including windows across midnight', () => {
      const sevenDaysAgo = start - 7 * 86400;
      expect(inDndWindow({ opt: 2, startTimeStamp: sevenDaysAgo, duration: 7200 }, NOW)).toBe(true);
      const at22 = Date.UTC(2026, 10, 1, 22, 0, 0) / 1000; // 22:00 + 9 h -> 07:00
      const night = { opt: 2 as const, startTimeStamp: at22, duration: 9 * 3600 };
      expect(inDndWindow(night, Date.UTC(2026, 10, 21, 3, 0, 0))).toBe(true);
      expect(inDndWindow(night, Date.UTC(2026, 10, 21, 23, 30, 0))).toBe(true);
      expect(inDndWindow(night, Date.UTC(2026, 10, 21, 7, 0, 0))).toBe(false);
      expect(inDndWindow(night, NOW)).toBe(false);
    });
    it('is permanent from its start when 86400 s or longer', () => {
      const permanent = { opt: 2 as const, startTimeStamp: NOW / 1000 + 10, duration: 86400 };
      expect(inDndWindow(permanent, NOW)).toBe(false);
      expect(inDndWindow(permanent, NOW + 11_000)).toBe(true);
      expect(inDndWindow(permanent, NOW + 400 * 86400_000)).toBe(true);
    });
    it('option 0 never blocks; @ messages pass an "except @" option', () => {
      expect(reasonOf({}, { global: { opt: 0, startTimeStamp: start, duration: 7200 } })).toBe('push');
      const exceptAt = { opt: 3 as const, startTimeStamp: start, duration: 7200 };
      expect(reasonOf({ chatType: 'group' }, { global: exceptAt, atMe: true })).toBe('push');
      expect(reasonOf({ chatType: 'group' }, { global: exceptAt })).toBe('dnd-window');
    });
  });

  it('group MsgFlag: Discard and AcceptNotNotify block client sends; REST sends only WithMuteNotifications', () => {
    const client = { chatType: 'group' as const, origin: 'client' as const };
    expect(reasonOf(client, { groupMsgFlag: 'AcceptAndNotify' })).toBe('push');
    expect(reasonOf(client, { groupMsgFlag: 'AcceptNotNotify' })).toBe('group-msgflag-not-notify');
    expect(reasonOf(client, { groupMsgFlag: 'Discard' })).toBe('group-msgflag-discard');
    // docs/internals/tencent-im.md#receive-options-and-do-not-disturb: MsgFlag is a receive setting, ignored
    // by REST sends by default.
    const rest = { chatType: 'group' as const, origin: 'rest' as const };
    expect(reasonOf(rest, { groupMsgFlag: 'AcceptNotNotify' })).toBe('push');
    expect(reasonOf(rest, { groupMsgFlag: 'Discard' })).toBe('push');
    const muted = { ...rest, sendMsgControl: ['WithMuteNotifications'] };
    expect(reasonOf(muted, { groupMsgFlag: 'AcceptNotNotify' })).toBe('group-msgflag-not-notify');
    expect(reasonOf(muted, { groupMsgFlag: 'Discard' })).toBe('group-msgflag-discard');
  });

  it('messaging and decide agree on when receive settings apply (one function)', () => {
    expect(receiveSettingsApply(false, undefined)).toBe(true);
    expect(receiveSettingsApply(true, [])).toBe(false);
    expect(receiveSettingsApply(true, ['NoUnread', 'WithMuteNotifications'])).toBe(true);
    for (const flag of ['AcceptAndNotify', 'AcceptNotNotify', 'Discard'] as const) {
      const messaging = fromMsgFlag(flag);
      const pushed = reasonOf({ chatType: 'group', origin: 'client' }, { groupMsgFlag: flag });
      expect(pushed === 'push' ? 'ok' : pushed).toBe(messaging.push ? 'ok' : messaging.reason);
    }
  });

  it('a lone custom element without Desc -> custom-without-desc, unless OfflinePushInfo.Desc is set', () => {
    const custom: MsgBody = [{ MsgType: 'TIMCustomElem', MsgContent: { Data: '{"x":1}' } }];
    expect(reasonOf({ body: custom })).toBe('custom-without-desc');
    expect(reasonOf({ body: custom, offlinePushInfo: { Desc: 'New order' } })).toBe('push');
    const withDesc: MsgBody = [
      { MsgType: 'TIMCustomElem', MsgContent: { Data: 'x', Desc: 'Order shipped' } },
    ];
    expect(reasonOf({ body: withDesc })).toBe('push');
    expect(reasonOf({ body: [...custom, ...text] })).toBe('push');
  });

  it('an empty text -> empty-push-text', () => {
    expect(reasonOf({ body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: '' } }] })).toBe(
      'empty-push-text',
    );
  });

  it('receive options are checked before the push text', () => {
    const custom: MsgBody = [{ MsgType: 'TIMCustomElem', MsgContent: { Data: 'x' } }];
    expect(reasonOf({ body: custom }, { c2cOpt: 2 })).toBe('receiver-muted-c2c');
  });

  describe('instance state and binding', () => {
    it('logged out or kicked -> instance-offline; foreground -> instance-foreground', () => {
      expect(reasonOf({}, {}, { state: 'logged-out' })).toBe('instance-offline');
      expect(reasonOf({}, {}, { state: 'foreground' })).toBe('instance-foreground');
    });
    it('no token -> no-binding; TPNS token -> unsupported-token-type', () => {
      expect(reasonOf({}, {}, { binding: undefined })).toBe('no-binding');
      expect(reasonOf({}, {}, { binding: { tokenType: 1, certificate: { status: 'active' } } })).toBe(
        'unsupported-token-type',
      );
    });
    it('VoIP tokens get call invitations only', () => {
      const voip = { binding: { tokenType: 2, certificate: { status: 'active' as const } } };
      expect(reasonOf({}, {}, voip)).toBe('voip-token-for-message');
      expect(reasonOf({ kind: 'call' }, {}, voip)).toBe('push');
    });
    it('missing or paused certificate: a pause that holds still queues, one that discards does not', () => {
      expect(reasonOf({}, {}, { binding: { tokenType: 0 } })).toBe('certificate-missing');
      const paused = (pausedMode: 'hold' | 'discard') => ({
        binding: { tokenType: 0, certificate: { status: 'paused' as const, pausedMode } },
      });
      expect(reasonOf({}, {}, paused('discard'))).toBe('certificate-paused');
      expect(reasonOf({}, {}, paused('hold'))).toBe('push');
    });
  });

  it('every no-push reason is produced by some input (a new reason needs a row here)', () => {
    const custom: MsgBody = [{ MsgType: 'TIMCustomElem', MsgContent: { Data: 'x' } }];
    const dnd = { opt: ReceiveOpt.ReceiveNotNotify, startTimeStamp: NOW / 1000 - 60, duration: 600 };
    const active = { status: 'active' as const };
    const rows: Record<keyof typeof NO_PUSH_REASONS, Parameters<typeof run>> = {
      'push-flag-off': [{ offlinePushInfo: { PushFlag: 1 } }],
      'online-only': [{ msgLifeTime: 0 }],
      'avchatroom-group': [{ chatType: 'group', groupType: 'AVChatRoom' }],
      'group-call-invite': [{ chatType: 'group', kind: 'call' }],
      expired: [{ expiresAt: NOW - 1 }],
      'sender-self': [{ senderId: 'bob' }],
      'receiver-muted-c2c': [{}, { c2cOpt: 1 }],
      'receiver-muted-group': [{ chatType: 'group' }, { groupOpt: 1 }],
      'dnd-window': [{}, { global: dnd }],
      'group-msgflag-discard': [{ chatType: 'group' }, { groupMsgFlag: 'Discard' }],
      'group-msgflag-not-notify': [{ chatType: 'group' }, { groupMsgFlag: 'AcceptNotNotify' }],
      'custom-without-desc': [{ body: custom }],
      'empty-push-text': [{ body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: '' } }] }],
      'instance-offline': [{}, {}, { state: 'logged-out' }],
      'instance-foreground': [{}, {}, { state: 'foreground' }],
      'no-binding': [{}, {}, { binding: undefined }],
      'unsupported-token-type': [{}, {}, { binding: { tokenType: 1, certificate: active } }],
      'voip-token-for-message': [{}, {}, { binding: { tokenType: 2, certificate: active } }],
      'certificate-missing': [{}, {}, { binding: { tokenType: 0 } }],
      'certificate-paused': [
        {},
        {},
        { binding: { tokenType: 0, certificate: { status: 'paused', pausedMode: 'discard' } } },
      ],
    };
    for (const [reason, args] of Object.entries(rows)) expect(reasonOf(...args)).toBe(reason);
  });

  it('prepareDecision gives the same answers as decide for many receivers', () => {
    const m = message({ chatType: 'group' });
    const decider = prepareDecision(m);
    const recipients: DecideRecipient[] = [bob(), bob({ groupOpt: 2 }), bob({ groupMsgFlag: 'Discard' })];
    for (const r of recipients) {
      expect(decider(r, background(), NOW)).toEqual(
        decide({ message: m, recipient: r, instance: background(), now: NOW }),
      );
    }
  });

  it('every reason, from decide and render, has a one-line explanation', () => {
    expect(Object.keys(PUSH_SKIP_REASONS)).toEqual(
      expect.arrayContaining([...Object.keys(NO_PUSH_REASONS), 'ext-too-large']),
    );
    expect(explainSkipReason('dnd-window')).toBe(NO_PUSH_REASONS['dnd-window']);
    expect(explainSkipReason('something-old')).toBe('something-old');
    for (const [reason, text] of Object.entries(PUSH_SKIP_REASONS)) {
      expect(reason).toMatch(/^[a-z0-9-]+$/);
      expect(text.length).toBeGreaterThan(10);
      expect(text).not.toContain('\n');
    }
  });
});
