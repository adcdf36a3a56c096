// The sandbox phones page's notifications: the phone list the server answered with, plus what the live
// stream brought. The two race each other. A notification can reach the phone after the list was read and
// before the stream subscribed (the page reads the list again each time the stream opens), and a list read
// again can land after the stream showed a newer notification than the list holds. Applying what the stream
// brought on top of whichever list answer is current shows every notification whatever the order of arrival.
import type { Phone, PhoneNotification } from '@pushline/contracts';

/** Notifications shown per phone, newest first (the server's list holds as many). */
export const KEEP = 20;
/** Stream events remembered to apply on top of a list answer: more than any list answer can be behind by. */
const REMEMBER = 500;

/** `streamed` with `n` added (a retraction too: it must outlive a list answer that still shows the notification). */
export function remember(streamed: readonly PhoneNotification[], n: PhoneNotification): PhoneNotification[] {
  const next = [...streamed, n];
  return next.length > REMEMBER ? next.slice(next.length - REMEMBER) : next;
}

/** The phones with what the stream brought applied, in arrival order: new notifications added, retracted ones removed. */
export function withStreamed(phones: readonly Phone[], streamed: readonly PhoneNotification[]): Phone[] {
  if (streamed.length === 0) return [...phones];
  const byPhone = new Map<string, PhoneNotification[]>();
  for (const n of streamed) {
    const list = byPhone.get(n.phoneId);
    if (list) list.push(n);
    else byPhone.set(n.phoneId, [n]);
  }
  return phones.map((p) => {
    const events = byPhone.get(p.id);
    if (!events) return p;
    // The list's own copy wins: it is as new as the stream's and the server may know more about it.
    const shown = new Map(p.notifications.map((n) => [n.seq, n]));
    for (const n of events) {
      if (n.retracted) shown.delete(n.seq);
      else if (!shown.has(n.seq)) shown.set(n.seq, n);
    }
    const notifications = [...shown.values()].sort((a, b) => b.seq - a.seq).slice(0, KEEP);
    return { ...p, notifications };
  });
}
