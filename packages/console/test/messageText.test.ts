// messageText.ts: the troubleshooter's message keys with their values (nested messages, times, skip reasons,
// loss stages, outcomes, vendor answers) written in the console's language, and skip reasons in words.
import { afterEach, describe, expect, it, vi } from 'vitest';

// i18n/index.ts sets the page's language on load: a document is all it needs of a browser.
vi.hoisted(() => {
  vi.stubGlobal('document', { documentElement: { lang: '' } });
  vi.stubEnv('TZ', 'UTC');
});

import { VENDOR_ANSWERS } from '../../server/src/push/answers/vendor-answers.js';
import { en } from '../src/i18n/en.js';
import { i18n } from '../src/i18n/index.js';
import { zhCN } from '../src/i18n/zh-CN.js';
import { skipActionText, skipReasonText, useMessageText } from '../src/messageText.js';
import { callHook } from './helpers/hooks.js';

type Message = Parameters<ReturnType<typeof useMessageText>>[0];

async function messageText(language: string): Promise<(m: Message) => string> {
  await i18n.changeLanguage(language);
  return callHook(useMessageText);
}

afterEach(async () => {
  await i18n.changeLanguage('en');
});

describe('useMessageText', () => {
  it('writes a key with its values', async () => {
    const text = await messageText('en');
    expect(text({ key: 'accountOk', params: { userId: 'alice' } })).toBe(
      '"alice" is an account of this app.',
    );
  });

  it('writes nested messages, times and outcomes in the language', async () => {
    const text = await messageText('zh-CN');
    const at = Date.UTC(2026, 11, 3, 8, 0, 0);
    const written = text({
      key: 'tokenReported',
      params: {
        device: 'iPhone',
        what: { key: 'tokenVoip' },
        time: { time: at },
        certificate: { outcome: 'retry' },
      },
    });
    expect(written).toBe(
      zhCN.checkText.tokenReported
        .replace('{{device}}', 'iPhone')
        .replace('{{what}}', zhCN.checkText.tokenVoip)
        .replace('{{time}}', '2026/12/3 08:00:00')
        // The troubleshooter's `retry` is the outcomes' `retrying`.
        .replace('{{certificate}}', zhCN.outcome.retrying),
    );
  });

  it('writes skip reasons, loss stages and vendor answers as values', async () => {
    const text = await messageText('en');
    const ref = { vendor: 'apns', code: 'BadDeviceToken', stage: 'invalid-token' };
    const written = text({
      key: 'tokenNone',
      params: { device: { skipReason: 'sender-self' }, reason: { answerMeaning: ref } },
    });
    expect(written).toBe(
      `${en.skipReason['sender-self']}: no token. ${VENDOR_ANSWERS.apns.BadDeviceToken!.en.meaning}`,
    );
    const action = text({
      key: 'tokenNone',
      params: { device: { lossInfo: 'invalid-token' }, reason: { answerAction: ref } },
    });
    expect(action).toBe(
      `${en.lossInfo['invalid-token']}: no token. ${VENDOR_ANSWERS.apns.BadDeviceToken!.en.action}`,
    );
  });

  it('shows the key of a message this console does not know (a newer server)', async () => {
    const text = await messageText('zh-CN');
    expect(text({ key: 'somethingNewer' } as unknown as Message)).toBe('somethingNewer');
  });
});

describe('skip reasons', () => {
  it('are written in words, or as the code when unknown', async () => {
    await i18n.changeLanguage('zh-CN');
    expect(skipReasonText(i18n.t, 'dnd-window')).toBe(zhCN.skipReason['dnd-window']);
    expect(skipReasonText(i18n.t, 'brand-new-reason')).toBe('brand-new-reason');
    expect(skipActionText(i18n.t, 'dnd-window')).toBe(zhCN.skipAction['dnd-window']);
    expect(skipActionText(i18n.t, 'brand-new-reason')).toBe('');
  });
});
