// phoneFeed.ts: the sandbox phones page shows every notification whichever of the list answer and the live
// stream arrives first.
import type { Phone, PhoneNotification } from '@pushline/contracts';
import { describe, expect, it } from 'vitest';
import { KEEP, remember, withStreamed } from '../src/phoneFeed.js';

const note = (phoneId: string, seq: number, extra: Partial<PhoneNotification> = {}): PhoneNotification => ({
  seq,
  vendor: 'vivo',
  phoneId,
  title: null,
  subtitle: null,
  body: `message ${seq}`,
  badge: null,
  sound: null,
  image: null,
  pushType: null,
  receivedAt: 1_000 + seq,
  ...extra,
});

const phone = (id: string, notifications: PhoneNotification[]): Phone => ({
  id,
  vendor: 'vivo',
  platform: 'android',
  app: 'com.example.chat',
  environment: null,
  tokenSuffix: id.slice(-6),
  userId: `user-${id}`,
  instanceId: 'i-1',
  installed: true,
  appState: 'background',
  notifications,
});

const seqs = (p: Phone | undefined) => p?.notifications.map((n) => n.seq);

describe('the sandbox phones feed', () => {
  it('shows a notification the stream brought before a list answer read earlier that lacks it', () => {
    let streamed: PhoneNotification[] = [];
    streamed = remember(streamed, note('a', 3));
    const olderList = [phone('a', [note('a', 2), note('a', 1)]), phone('b', [])];
    const shown = withStreamed(olderList, streamed);
    expect(seqs(shown[0])).toEqual([3, 2, 1]);
    expect(seqs(shown[1])).toEqual([]);
  });

  it('shows each notification once when the list already holds what the stream brought', () => {
    const streamed = remember(remember([], note('a', 2)), note('a', 3));
    const opened = note('a', 3, { title: 'from the list' });
    const shown = withStreamed([phone('a', [opened, note('a', 2), note('a', 1)])], streamed);
    expect(seqs(shown[0])).toEqual([3, 2, 1]);
    expect(shown[0]?.notifications[0]?.title).toBe('from the list');
  });

  it('keeps a retracted notification away even when a later list answer was read before the retraction', () => {
    const streamed = remember(remember([], note('a', 4)), note('a', 4, { retracted: true }));
    const staleList = [phone('a', [note('a', 4), note('a', 3)])];
    expect(seqs(withStreamed(staleList, streamed)[0])).toEqual([3]);
  });

  it('keeps the newest notifications per phone and bounds what it remembers', () => {
    let streamed: PhoneNotification[] = [];
    for (let seq = 1; seq <= 600; seq++) streamed = remember(streamed, note('a', seq));
    expect(streamed.length).toBeLessThan(600);
    expect(streamed.at(-1)?.seq).toBe(600);
    const shown = withStreamed([phone('a', [])], streamed)[0];
    expect(shown?.notifications).toHaveLength(KEEP);
    expect(shown?.notifications[0]?.seq).toBe(600);
  });
});
