// The shape of the vendor answer tables (vendor-answers.ts, push/vendors/<vendor>/answers.ts) and the helper
// that writes their rows. Plain data: the web console imports it through vendor-answers.ts, so no imports and
// nothing that runs only in Node.

export type AnswerOutcome = 'sent' | 'retry' | 'invalid-token' | 'rejected' | 'credential-error';
export type AnswerLanguage = 'en' | 'zh';

export interface AnswerText {
  /** What the answer means. */
  meaning: string;
  /** What the person running Pushline (or the app's developer) should do. */
  action: string;
}

export interface VendorAnswerEntry {
  outcome: AnswerOutcome;
  en: AnswerText;
  zh: AnswerText;
}

export type Pair = readonly [en: string, zh: string];

/** What to do, when a row names nothing more precise: it follows from what Pushline did. */
export const DEFAULT_ACTION: Record<AnswerOutcome, Pair> = {
  sent: ['Nothing: the vendor accepted the notification.', '无需处理：厂商已接受该通知。'],
  retry: [
    'Nothing at once: Pushline tries again with backoff. If it lasts or pushes end as failed, check the vendor’s status and your quota with the vendor.',
    '暂无需处理：Pushline 会退避重试。若持续出现或推送最终失败，请检查厂商服务状态及在厂商处的配额。',
  ],
  'invalid-token': [
    'Nothing: Pushline removed this device token. The app registers a new one the next time it starts on that device.',
    '无需处理：Pushline 已删除该设备令牌。应用下次在该设备上启动时会重新注册新令牌。',
  ],
  rejected: [
    'Check the notification against the vendor’s limits (title and text length, size, options). The device binding was kept.',
    '请对照厂商限制检查通知内容（标题与正文长度、大小、选项）。设备绑定已保留。',
  ],
  'credential-error': [
    'Check this vendor’s push certificate on the Certificates page (IDs, keys, secrets, environment) and upload a correct one.',
    '请在“证书”页面检查该厂商的推送证书（ID、密钥、环境），并上传正确的证书。',
  ],
};

export function row(outcome: AnswerOutcome, meaning: Pair, action?: Pair): VendorAnswerEntry {
  const a = action ?? DEFAULT_ACTION[outcome];
  return { outcome, en: { meaning: meaning[0], action: a[0] }, zh: { meaning: meaning[1], action: a[1] } };
}

/** What to do about a quota answer (FCM, Xiaomi, OPPO, vivo, Meizu). */
export const QUOTA_ACTION: Pair = [
  'Pushline retries later. Ask the vendor for a higher quota, or apply for a private (system) message channel, if this happens often.',
  'Pushline 稍后会重试。若经常出现，请向厂商申请更高配额，或申请私信（系统消息）通道。',
];
