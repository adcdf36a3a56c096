// The receipt fields channels add, checked by round trip: the vendor echoes what we set, our receipt
// parser reads it back as the PushID. The shared input request is never changed.
import { describe, expect, it } from 'vitest';
import { withReceiptFields } from '../../../src/push/outcomes/receipt-fields.js';
import { parseReceipts } from '../../../src/push/outcomes/receipts.js';
import type { VendorRequest } from '../../../src/push/types.js';

const URL = 'https://push.example.com/v3/offline_push_report/vivo?sdkappid=1&token=abc';

describe('receipt fields in vendor requests', () => {
  it('tags Huawei and Honor messages with the PushID that their receipts echo as biTag', () => {
    const huawei: VendorRequest = {
      vendor: 'huawei',
      message: { data: '{"ext":"x"}', android: { category: 'IM' } },
    };
    const tagged = withReceiptFields(huawei, 'p-1');
    expect(tagged).toEqual({
      vendor: 'huawei',
      message: { data: '{"ext":"x","pushId":"p-1"}', android: { category: 'IM', bi_tag: 'p-1' } },
    });
    expect(huawei).toEqual({
      vendor: 'huawei',
      message: { data: '{"ext":"x"}', android: { category: 'IM' } },
    });
    const echoed = { statuses: [{ biTag: 'p-1', token: 't', status: 0 }] };
    expect(parseReceipts('huawei', JSON.stringify(echoed))[0]?.pushId).toBe('p-1');

    const honor = withReceiptFields({ vendor: 'honor', message: {} }, 'p-2');
    expect(honor).toEqual({
      vendor: 'honor',
      message: { data: '{"pushId":"p-2"}', android: { biTag: 'p-2' } },
    });
  });

  it('gives vivo, Meizu and Xiaomi the receipt URL and the PushID as callback.param', () => {
    const vivo = withReceiptFields({ vendor: 'vivo', message: { title: 't' } }, 'p-3', URL);
    expect(vivo).toEqual({
      vendor: 'vivo',
      message: {
        title: 't',
        clientCustomMap: { pushId: 'p-3' },
        extra: { callback: URL, 'callback.param': 'p-3' },
      },
    });
    const meizu = withReceiptFields({ vendor: 'meizu', messageJson: {} }, 'p-4', URL);
    expect(meizu).toEqual({
      vendor: 'meizu',
      messageJson: {
        clickTypeInfo: { parameters: { pushId: 'p-4' } },
        extra: { callback: URL, 'callback.param': 'p-4', 'callback.type': 3 },
      },
    });
    const xiaomi = withReceiptFields({ vendor: 'xiaomi', form: { title: 't' } }, 'p-5', URL);
    expect(xiaomi).toEqual({
      vendor: 'xiaomi',
      form: {
        title: 't',
        'extra.pushId': 'p-5',
        'extra.callback': URL,
        'extra.callback.param': 'p-5',
        'extra.callback.type': '3',
      },
    });
    const receipt = `data=${encodeURIComponent(JSON.stringify({ m: { param: 'p-5', type: 1, targets: 'r' } }))}`;
    expect(parseReceipts('xiaomi', receipt)[0]?.pushId).toBe('p-5');
  });

  it('puts the PushID next to Ext for the app, with or without a receipt URL', () => {
    const vivo: VendorRequest = { vendor: 'vivo', message: { clientCustomMap: { ext: 'e' } } };
    expect(withReceiptFields(vivo, 'p')).toEqual({
      vendor: 'vivo',
      message: { clientCustomMap: { ext: 'e', pushId: 'p' } },
    });
    const apns: VendorRequest = {
      vendor: 'apns',
      pushType: 'alert',
      priority: 10,
      body: { aps: {}, ext: 'e' },
    };
    expect(withReceiptFields(apns, 'p', URL)).toMatchObject({ body: { aps: {}, ext: 'e', pushId: 'p' } });
    expect(apns.body).toEqual({ aps: {}, ext: 'e' }); // the shared request is not changed
    const fcm = withReceiptFields({ vendor: 'fcm', message: { data: { ext: 'e' } } }, 'p');
    expect(fcm).toEqual({ vendor: 'fcm', message: { data: { ext: 'e', pushId: 'p' } } });
    const oppo = withReceiptFields(
      { vendor: 'oppo', notification: { action_parameters: '{"ext":"e"}' } },
      'p',
    );
    expect(oppo).toEqual({ vendor: 'oppo', notification: { action_parameters: '{"ext":"e","pushId":"p"}' } });
    const web = withReceiptFields({ vendor: 'webpush', payload: '{"title":"t"}', ttlSeconds: 60 }, 'p');
    expect(web).toEqual({ vendor: 'webpush', payload: '{"title":"t","pushId":"p"}', ttlSeconds: 60 });
  });
});
