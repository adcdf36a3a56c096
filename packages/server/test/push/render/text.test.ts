import { describe, expect, it } from 'vitest';
import type { MsgBody } from '../../../src/messaging/message-types.js';
import {
  contentText,
  elementText,
  isLoneCustomWithoutDesc,
  pushText,
  textUnderTitle,
} from '../../../src/push/render/text.js';

// docs/internals/tencent-im.md#push-text-rules
describe('push text rules', () => {
  it('maps every element type to its text', () => {
    const body: MsgBody = [
      { MsgType: 'TIMTextElem', MsgContent: { Text: 'hello' } },
      { MsgType: 'TIMLocationElem', MsgContent: { Desc: 'x', Latitude: 1, Longitude: 2 } },
      { MsgType: 'TIMFaceElem', MsgContent: { Index: 1 } },
      { MsgType: 'TIMCustomElem', MsgContent: { Desc: 'order' } },
      { MsgType: 'TIMImageElem', MsgContent: {} },
      { MsgType: 'TIMSoundElem', MsgContent: {} },
      { MsgType: 'TIMFileElem', MsgContent: {} },
      { MsgType: 'TIMVideoFileElem', MsgContent: {} },
      { MsgType: 'TIMRelayElem', MsgContent: {} },
      { MsgType: 'TIMRelayElem', MsgContent: { Title: 'Chat History of A and B' } },
    ];
    expect(body.map(elementText)).toEqual([
      'hello',
      '[Location]',
      '[Face]',
      'order',
      '[Image]',
      '[Voice]',
      '[File]',
      '[Video]',
      '[Chat History]',
      'Chat History of A and B',
    ]);
  });

  it('concatenates elements with no separator (custom Desc "hello" + text "world")', () => {
    const body: MsgBody = [
      { MsgType: 'TIMCustomElem', MsgContent: { Data: 'message', Desc: 'hello' } },
      { MsgType: 'TIMTextElem', MsgContent: { Text: 'world' } },
    ];
    expect(contentText(body, undefined)).toBe('helloworld');
  });

  it('OfflinePushInfo.Desc overrides every element; an empty Desc does not', () => {
    const body: MsgBody = [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'secret' } }];
    expect(contentText(body, { Desc: 'You have a new message' })).toBe('You have a new message');
    expect(contentText(body, { Desc: '' })).toBe('secret');
  });

  it('formats C2C and group texts with and without a nickname', () => {
    expect(pushText({ chatType: 'c2c', senderNick: 'Alice' }, 'hi')).toBe('Alice: hi');
    expect(pushText({ chatType: 'c2c' }, 'hi')).toBe('hi');
    expect(pushText({ chatType: 'group', senderNick: 'Alice', groupName: 'Team' }, 'hi')).toBe(
      'Alice (Team): hi',
    );
    expect(pushText({ chatType: 'group', groupName: 'Team' }, 'hi')).toBe('(Team): hi');
    // A group message whose group is unknown falls back to the C2C form instead of "(): hi".
    expect(pushText({ chatType: 'group', senderNick: 'Alice' }, 'hi')).toBe('Alice: hi');
  });

  it('under a title naming the conversation (Android, Web Push), the text does not repeat it', () => {
    // C2C: the title is the sender's nick (or ID) -> just the text.
    expect(textUnderTitle({ chatType: 'c2c', senderNick: 'Alice' }, 'hi')).toBe('hi');
    expect(textUnderTitle({ chatType: 'c2c' }, 'hi')).toBe('hi');
    // Group: the title is the group's name -> who wrote stays in the text.
    expect(textUnderTitle({ chatType: 'group', senderNick: 'Alice', groupName: 'Team' }, 'hi')).toBe(
      'Alice: hi',
    );
    expect(textUnderTitle({ chatType: 'group', groupName: 'Team' }, 'hi')).toBe('hi');
    // An unknown group: the title falls back to the sender, so the text leaves the sender out.
    expect(textUnderTitle({ chatType: 'group', senderNick: 'Alice' }, 'hi')).toBe('hi');
  });

  it('detects a lone custom element without Desc', () => {
    expect(isLoneCustomWithoutDesc([{ MsgType: 'TIMCustomElem', MsgContent: { Data: 'x' } }])).toBe(true);
    expect(isLoneCustomWithoutDesc([{ MsgType: 'TIMCustomElem', MsgContent: { Desc: '' } }])).toBe(true);
    expect(isLoneCustomWithoutDesc([{ MsgType: 'TIMCustomElem', MsgContent: { Desc: 'd' } }])).toBe(false);
    expect(isLoneCustomWithoutDesc([{ MsgType: 'TIMTextElem', MsgContent: { Text: '' } }])).toBe(false);
  });
});
