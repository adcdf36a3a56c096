// DeviceOrder: the turns batches claim for their devices, in lease order.
import { describe, expect, it } from 'vitest';
import { DeviceOrder } from '../../../src/push/dispatch/device-order.js';

/** Whether `p` has settled by the end of the current microtask queue's next turns. */
async function settled(p: Promise<void> | undefined): Promise<boolean> {
  if (p === undefined) return true;
  let done = false;
  void p.then(() => {
    done = true;
  });
  await new Promise((r) => setImmediate(r));
  return done;
}

describe('DeviceOrder', () => {
  it('makes a batch wait only for the earlier batches that carry one of its devices', async () => {
    const order = new DeviceOrder();
    const a = order.claim(['phone', 'watch']);
    const b = order.claim(['phone', 'tablet']);
    const c = order.claim(['laptop']);
    expect(a.earlier).toBeUndefined();
    expect(c.earlier).toBeUndefined();
    expect([...b.waiting]).toEqual(['phone']);
    expect(await settled(b.earlier)).toBe(false);
    a.done();
    expect(await settled(b.earlier)).toBe(true);
    b.done();
    c.done();
    expect(order.size).toBe(0);
  });

  it('keeps the chain when a batch in the middle ends first: the next one still waits for the first', async () => {
    const order = new DeviceOrder();
    const a = order.claim(['phone']);
    const b = order.claim(['phone']);
    const c = order.claim(['phone']);
    b.done(); // b sent nothing (its push expired while it waited, say)
    expect(await settled(c.earlier)).toBe(false);
    a.done();
    expect(await settled(c.earlier)).toBe(true);
    c.done();
    expect(order.size).toBe(0);
  });

  it('lets one batch carry a device twice without waiting for itself, and ends a turn once', async () => {
    const order = new DeviceOrder();
    const a = order.claim(['phone', 'phone']);
    expect(a.earlier).toBeUndefined();
    a.done();
    a.done();
    const b = order.claim(['phone']);
    expect(b.earlier).toBeUndefined();
    b.done();
    expect(order.size).toBe(0);
  });
});
