// The vendor receipt parsers on their own: every accepted spelling, and clear refusals.
import { describe, expect, it } from 'vitest';
import { parseReceipts, ReceiptFormatError } from '../../../src/push/outcomes/receipts.js';

describe('vendor receipt parsers', () => {
  it('reads Huawei statuses: delivered, not delivered with the status as code, ms or s timestamps', () => {
    const body = JSON.stringify({
      statuses: [
        { biTag: 'p1', appid: '1', token: 't1', status: 0, timestamp: 1545206237453, requestId: 'r1' },
        { bi_tag: 'p2', token: 't2', status: 5, timestamp: 1545206237, request_id: 'r2' },
        { token: 't3', status: '6' },
      ],
    });
    expect(parseReceipts('huawei', body)).toEqual([
      { status: 'delivered', pushId: 'p1', vendorMsgId: 'r1', tokens: ['t1'], at: 1545206237453 },
      {
        status: 'undelivered',
        code: '5',
        pushId: 'p2',
        vendorMsgId: 'r2',
        tokens: ['t2'],
        at: 1545206237000,
      },
      { status: 'undelivered', code: '6', tokens: ['t3'] },
    ]);
  });

  it('reads vivo receipts as deliveries whatever their fields', () => {
    expect(parseReceipts('vivo', '{"581920001":{"param":"p1","targets":"a,b,"}}')).toEqual([
      { status: 'delivered', vendorMsgId: '581920001', pushId: 'p1', tokens: ['a', 'b'] },
    ]);
  });

  it('reads Meizu and Xiaomi receipts from a form field or a JSON body', () => {
    const meizu = `cb=${encodeURIComponent('{"NS1":{"param":"p","type":2,"targets":["x"]}}')}`;
    expect(parseReceipts('meizu', meizu)).toEqual([
      { status: 'clicked', vendorMsgId: 'NS1', pushId: 'p', tokens: ['x'] },
    ]);
    expect(parseReceipts('xiaomi', '{"m1":{"type":16,"targets":"r1"}}')).toEqual([
      { status: 'undelivered', code: '16', vendorMsgId: 'm1', tokens: ['r1'] },
    ]);
  });

  it('refuses what is not a receipt with a message that says why', () => {
    const cases: [Parameters<typeof parseReceipts>[0], string, RegExp][] = [
      ['huawei', 'not json', /not JSON/],
      ['huawei', '{"statuses":{}}', /statuses/],
      ['honor', '{"statuses":[{"status":"x"}]}', /statuses\[0\]\.status/],
      ['honor', '{"statuses":[null]}', /statuses\[0\] is not an object/],
      ['vivo', '[1,2]', /keyed by message ID/],
      ['vivo', '{"t":3}', /"t" is not an object/],
      ['meizu', 'data=%7B%7D', /"cb"/],
      ['xiaomi', 'cb=%7B%7D', /"data"/],
    ];
    for (const [vendor, body, message] of cases) {
      expect(() => parseReceipts(vendor, body), `${vendor} ${body}`).toThrow(ReceiptFormatError);
      expect(() => parseReceipts(vendor, body)).toThrow(message);
    }
  });
});
