// answers.ts: a push's vendor answer explained in the console's language, only for outcomes that are answers.
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  vi.stubGlobal('document', { documentElement: { lang: '' } });
});

import { VENDOR_ANSWERS } from '../../server/src/push/answers/vendor-answers.js';
import { useExplainAnswer } from '../src/answers.js';
import { i18n } from '../src/i18n/index.js';
import { callHook } from './helpers/hooks.js';

afterEach(async () => {
  await i18n.changeLanguage('en');
});

describe('useExplainAnswer', () => {
  it("explains a vendor's code in the console's language", async () => {
    await i18n.changeLanguage('zh-CN');
    const explain = callHook(useExplainAnswer);
    expect(explain('apns', 'BadDeviceToken', 'invalid-token')).toEqual({
      ...VENDOR_ANSWERS.apns.BadDeviceToken!.zh,
      known: true,
    });
    await i18n.changeLanguage('en');
    expect(callHook(useExplainAnswer)('apns', 'BadDeviceToken', 'invalid-token')).toEqual({
      ...VENDOR_ANSWERS.apns.BadDeviceToken!.en,
      known: true,
    });
  });

  it('explains an unknown code of a failed push from the outcome alone', async () => {
    const explained = callHook(useExplainAnswer)('fcm', 'SOMETHING_NEW', 'rejected');
    expect(explained).toMatchObject({ known: false });
    expect(explained?.meaning).toEqual(expect.any(String));
  });

  it('says nothing for sent pushes, skips and receipts, or without a code', () => {
    const explain = callHook(useExplainAnswer);
    expect(explain('apns', 'BadDeviceToken', 'sent')).toBeUndefined();
    expect(explain('apns', 'BadDeviceToken', 'skipped')).toBeUndefined();
    expect(explain('apns', 'BadDeviceToken', 'delivered')).toBeUndefined();
    expect(explain('apns', null, 'failed')).toBeUndefined();
  });
});
