import { describe, expect, it } from 'vitest';
import type { MsgBody } from '../../src/messaging/message-types.js';
import { evaluateReceive, ReceiveOpt } from '../../src/messaging/receive-options.js';
import {
  type DecideInstance,
  type DecideMessage,
  type DecideRecipient,
  decide,
  NO_PUSH_REASONS,
  prepareDecision,
} from '../../src/push/decide/decide.js';
import { receiveReasonToSkip } from '../../src/push/decide/receive-reasons.js';
import { explainSkipReason, PUSH_SKIP_REASONS } from '../../src/push/decide/skip-reasons.js';

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

  it("the receiver's settings are messaging's verdict, named for traces by receiveReasonToSkip", () => {
    // One rule book (messaging/receive-options.ts) judges receive options, do-not-disturb and MsgFlag at
    // send time; the engine only renames its reasons. Each reason the rule gives maps to a push reason.
    const judged = (input: Partial<Parameters<typeof evaluateReceive>[0]>) =>
      evaluateReceive({ now: NOW, isAtMe: false, honourOptions: true, ...input });
    const skip = (input: Partial<Parameters<typeof evaluateReceive>[0]>) => {
      const d = judged(input);
      return d.push ? 'push' : receiveReasonToSkip(d.reason);
    };
    expect(skip({ c2cOpt: ReceiveOpt.Receive })).toBe('push');
    for (const opt of [1, 2, 3, 4]) expect(skip({ c2cOpt: opt })).toBe('receiver-muted-c2c');
    for (const opt of [1, 2, 3, 4]) expect(skip({ groupOpt: opt })).toBe('receiver-muted-group');
    expect(skip({ groupOpt: 3, isAtMe: true })).toBe('push');
    expect(skip({ memberMsgFlag: 'AcceptNotNotify' })).toBe('group-msgflag-not-notify');
    expect(skip({ memberMsgFlag: 'Discard' })).toBe('group-msgflag-discard');
    const dnd = { opt: 2, startTime: NOW / 1000 - 60, duration: 3600, repeat: 'once' as const };
    expect(skip({ globalDnd: dnd })).toBe('dnd-window');
    expect(skip({ globalDnd: dnd, honourOptions: false })).toBe('push');
    for (const reason of ['receiver-muted-c2c', 'receiver-muted-group', 'dnd-window'])
      expect(Object.keys(NO_PUSH_REASONS)).toContain(reason);
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
    const active = { status: 'active' as const };
    // The receiver's settings come from messaging's verdict (test above), the rest from decide itself.
    const fromSettings = {
      'receiver-muted-c2c': { c2cOpt: 1 },
      'receiver-muted-group': { groupOpt: 1 },
      'dnd-window': {
        globalDnd: { opt: 2, startTime: NOW / 1000 - 60, duration: 600, repeat: 'once' as const },
      },
      'group-msgflag-discard': { memberMsgFlag: 'Discard' },
      'group-msgflag-not-notify': { memberMsgFlag: 'AcceptNotNotify' },
    } as const;
    for (const [reason, input] of Object.entries(fromSettings)) {
      const d = evaluateReceive({ now: NOW, isAtMe: false, honourOptions: true, ...input });
      expect(receiveReasonToSkip(d.reason)).toBe(reason);
    }
    const rows: Record<
      Exclude<keyof typeof NO_PUSH_REASONS, keyof typeof fromSettings>,
      Parameters<typeof run>
    > = {
      'push-flag-off': [{ offlinePushInfo: { PushFlag: 1 } }],
      'online-only': [{ msgLifeTime: 0 }],
      'avchatroom-group': [{ chatType: 'group', groupType: 'AVChatRoom' }],
      'group-call-invite': [{ chatType: 'group', kind: 'call' }],
      expired: [{ expiresAt: NOW - 1 }],
      'sender-self': [{ senderId: 'bob' }],
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
    const recipients: DecideRecipient[] = [bob(), bob({ userId: 'carol' }), bob({ userId: 'alice' })];
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
