// The one table of vendor answers: for each vendor and answer code, what Pushline does with it (the outcome),
// what it means and what to do about it, in English and Simplified Chinese. Each vendor's rows are in its
// folder (push/vendors/<vendor>/answers.ts; APNs' are still here), and each vendor's module hands them out
// (VendorModule.answers). The channels build their answer -> outcome tables from it (push/vendors/*/channel.ts),
// and traces, push records, statistics, the troubleshooter and normal_push_loss explain codes with it. The web
// console imports this file too (packages/console/src/answers.ts), so it and what it imports must stay plain
// data: nothing that runs only in Node. The APNs rows explain exactly the reasons of @pushline/contracts'
// APNS_REASONS (the reason -> HTTP status table the APNs simulator answers with); the vendors are its VENDORS.

import type { ApnsReason, Vendor } from '@pushline/contracts';
import { FCM_ANSWER_TEXTS } from '../vendors/fcm/answers.js';
import { HONOR_ANSWER_TEXTS } from '../vendors/honor/answers.js';
import { HUAWEI_ANSWER_TEXTS } from '../vendors/huawei/answers.js';
import { MEIZU_ANSWER_TEXTS } from '../vendors/meizu/answers.js';
import { OPPO_ANSWER_TEXTS } from '../vendors/oppo/answers.js';
import { VIVO_ANSWER_TEXTS } from '../vendors/vivo/answers.js';
import { WEBPUSH_ANSWER_TEXTS } from '../vendors/webpush/answers.js';
import { XIAOMI_ANSWER_TEXTS } from '../vendors/xiaomi/answers.js';
import {
  type AnswerLanguage,
  type AnswerOutcome,
  type AnswerText,
  DEFAULT_ACTION,
  type Pair,
  row,
  type VendorAnswerEntry,
} from './answer-rows.js';

export type {
  AnswerLanguage,
  AnswerOutcome,
  AnswerText,
  VendorAnswerEntry,
} from './answer-rows.js';
/** The vendors (certificates/types.ts VENDORS). */
export type AnswerVendor = Vendor;

const ENV_ACTION: Pair = [
  'Make sure the app build and the certificate use the same environment: a development (Xcode) build needs a development certificate, a TestFlight or App Store build a production one.',
  '请确认应用构建与证书属于同一环境：开发（Xcode）构建需使用开发证书，TestFlight 或 App Store 构建需使用生产证书。',
];

export const VENDOR_ANSWERS: Record<AnswerVendor, Record<string, VendorAnswerEntry>> = {
  apns: {
    BadCollapseId: row('rejected', [
      'apns-collapse-id longer than 64 bytes',
      'apns-collapse-id 超过 64 字节',
    ]),
    BadDeviceToken: row(
      'invalid-token',
      [
        'malformed token, or a token of the other environment: a development (Xcode) build token sent with a production certificate or the reverse',
        '令牌格式错误，或令牌属于另一环境：开发（Xcode）构建的令牌用了生产证书发送，或反之',
      ],
      ENV_ACTION,
    ),
    BadExpirationDate: row('rejected', ['bad apns-expiration', 'apns-expiration 无效']),
    BadMessageId: row('rejected', ['bad apns-id', 'apns-id 无效']),
    BadPriority: row('rejected', [
      'bad apns-priority (background pushes need 5)',
      'apns-priority 无效（后台推送须为 5）',
    ]),
    BadTopic: row(
      'rejected',
      ['apns-topic not allowed for this push type or certificate', '该推送类型或证书不允许此 apns-topic'],
      [
        'Check the bundle ID of the certificate: it must be the app’s bundle ID (with .voip for VoIP pushes).',
        '请检查证书的 Bundle ID：必须与应用的 Bundle ID 一致（VoIP 推送需加 .voip）。',
      ],
    ),
    DeviceTokenNotForTopic: row(
      'invalid-token',
      ['the token belongs to another app (bundle ID)', '该令牌属于另一个应用（Bundle ID）'],
      [
        'Check that the certificate’s bundle ID is the app’s; Pushline removed the token.',
        '请确认证书的 Bundle ID 与应用一致；Pushline 已删除该令牌。',
      ],
    ),
    DuplicateHeaders: row('rejected', ['a header was repeated', '请求头重复']),
    IdleTimeout: row('retry', ['the connection idled out', '连接空闲超时']),
    InvalidPushType: row('rejected', ['bad apns-push-type', 'apns-push-type 无效']),
    MissingDeviceToken: row('rejected', ['no token in the request path', '请求路径中没有令牌']),
    MissingTopic: row('rejected', [
      'apns-topic is required for this certificate',
      '此证书要求提供 apns-topic',
    ]),
    PayloadEmpty: row('rejected', ['empty payload', '负载为空']),
    TopicDisallowed: row('rejected', ['pushing to this topic is not allowed', '不允许向该主题推送']),
    BadCertificate: row('credential-error', [
      'APNs does not accept the client certificate',
      'APNs 不接受该客户端证书',
    ]),
    BadCertificateEnvironment: row(
      'credential-error',
      [
        'the certificate is for the other environment (development vs production)',
        '证书属于另一环境（开发与生产）',
      ],
      ENV_ACTION,
    ),
    ExpiredProviderToken: row('credential-error', [
      'the provider token is older than an hour; Pushline renews it and retries once before reporting this',
      '提供方令牌已超过一小时；Pushline 会先续签并重试一次，仍失败才报告',
    ]),
    Forbidden: row('credential-error', ['the credential is not allowed to do this', '该凭据无权执行此操作']),
    InvalidProviderToken: row(
      'credential-error',
      [
        'unknown key ID, wrong team ID, bad signature, or the key is not enabled for this bundle ID',
        '密钥 ID 未知、团队 ID 错误、签名无效，或该密钥未对此 Bundle ID 启用',
      ],
      [
        'Check the .p8 key, its key ID and the team ID on the Certificates page against the Apple Developer account.',
        '请在“证书”页面对照 Apple 开发者账号检查 .p8 密钥、密钥 ID 与团队 ID。',
      ],
    ),
    MissingProviderToken: row('credential-error', [
      'no certificate and no provider token',
      '既没有证书也没有提供方令牌',
    ]),
    BadPath: row('rejected', ['bad request path', '请求路径无效']),
    MethodNotAllowed: row('rejected', ['not a POST', '不是 POST 请求']),
    ExpiredToken: row('invalid-token', ['the device token expired', '设备令牌已过期']),
    Unregistered: row('invalid-token', [
      'the app was uninstalled or turned notifications off',
      '应用已卸载或关闭了通知',
    ]),
    PayloadTooLarge: row(
      'rejected',
      ['payload above 4096 bytes (5120 for VoIP)', '负载超过 4096 字节（VoIP 为 5120）'],
      [
        'Shorten the title, text or custom data (Ext) of the notification.',
        '请缩短通知的标题、正文或自定义数据（Ext）。',
      ],
    ),
    TooManyProviderTokenUpdates: row('retry', ['provider token renewed too often', '提供方令牌续签过于频繁']),
    TooManyRequests: row('retry', ['too many pushes to this device token', '向该设备令牌推送过于频繁']),
    InternalServerError: row('retry', ['APNs internal error', 'APNs 内部错误']),
    ServiceUnavailable: row('retry', ['APNs is unavailable', 'APNs 服务不可用']),
    Shutdown: row('retry', ['the APNs server is shutting down', 'APNs 服务器正在关闭']),
  } satisfies Record<ApnsReason, VendorAnswerEntry>,
  fcm: FCM_ANSWER_TEXTS,
  huawei: HUAWEI_ANSWER_TEXTS,
  honor: HONOR_ANSWER_TEXTS,
  xiaomi: XIAOMI_ANSWER_TEXTS,
  oppo: OPPO_ANSWER_TEXTS,
  vivo: VIVO_ANSWER_TEXTS,
  meizu: MEIZU_ANSWER_TEXTS,
  webpush: WEBPUSH_ANSWER_TEXTS,
};

/**
 * Codes Pushline itself gives, whatever the vendor: sending trouble before any vendor answer, and pushes
 * ended without one. A code with a prefix (`Network:ECONNRESET`, `StreamReset:8`, `HTTP503`) is found by it.
 */
export const PUSHLINE_ANSWERS: Record<string, VendorAnswerEntry> = {
  Expired: row(
    'rejected',
    ['the notification expired before it could be sent', '通知在发出前已过期'],
    [
      'Nothing for this push. If it happens often, the vendor was unreachable for long, or the offline push lifetime is short.',
      '此推送无需处理。若经常出现，说明厂商长时间不可达，或离线推送有效期过短。',
    ],
  ),
  expired: row(
    'rejected',
    ['the notification expired before it could be sent', '通知在发出前已过期'],
    [
      'Nothing for this push. If it happens often, the vendor was unreachable for long, or the offline push lifetime is short.',
      '此推送无需处理。若经常出现，说明厂商长时间不可达，或离线推送有效期过短。',
    ],
  ),
  WrongVendor: row(
    'rejected',
    ['the request was built for another vendor than the certificate', '请求所针对的厂商与证书不符'],
    [
      'The device reported a certificate ID of another vendor: check the certificate IDs the app passes at login.',
      '设备上报的证书 ID 属于其他厂商：请检查应用登录时传入的证书 ID。',
    ],
  ),
  CertificateNotFound: row(
    'rejected',
    ['the certificate no longer exists (deleted?)', '证书已不存在（已删除？）'],
    [
      'Upload the certificate again, or update the certificate ID the app passes.',
      '请重新上传证书，或更新应用传入的证书 ID。',
    ],
  ),
  'no-certificate': row(
    'rejected',
    ['the certificate no longer exists (deleted?)', '证书已不存在（已删除？）'],
    [
      'Upload the certificate again, or update the certificate ID the app passes.',
      '请重新上传证书，或更新应用传入的证书 ID。',
    ],
  ),
  CertificateUnusable: row('credential-error', [
    'the certificate cannot be used (its key or secrets could not be loaded)',
    '证书不可用（无法加载其密钥）',
  ]),
  'certificate-paused': row(
    'rejected',
    ['the certificate was paused with its held pushes discarded', '证书已暂停，且其暂存的推送被丢弃'],
    ['Resume the certificate on the Certificates page.', '请在“证书”页面恢复该证书。'],
  ),
  'call-ended': row(
    'rejected',
    ['the call ended before the ring could be sent', '呼叫在振铃推送发出前已结束'],
    ['Nothing: a ring for a finished call is useless.', '无需处理：已结束的呼叫无需振铃。'],
  ),
  ClientError: row('retry', [
    'Pushline failed while building or sending the request',
    'Pushline 在构建或发送请求时出错',
  ]),
  'send-failed': row('retry', ['the send failed before any vendor answer', '在厂商应答前发送失败']),
  InvalidRequest: row('rejected', [
    'the request could not be encrypted or built for this subscription',
    '无法为该订阅加密或构建请求',
  ]),
  NoMessageId: row('retry', [
    'OPPO stored the message but answered no message_id',
    'OPPO 保存了消息但未返回 message_id',
  ]),
  NoTaskId: row('retry', [
    'vivo stored the message but answered no taskId',
    'vivo 保存了消息但未返回 taskId',
  ]),
  ChannelClosed: row('retry', ['the connection to the vendor was closed', '与厂商的连接已关闭']),
  QueueFull: row('retry', [
    'too many requests waiting for this certificate’s connection',
    '该证书连接上等待的请求过多',
  ]),
  ConnectFailed: row(
    'retry',
    ['Pushline could not connect to the vendor', 'Pushline 无法连接厂商'],
    [
      'Check that the server reaches the vendor (DNS, firewall, proxy); Pushline retries with backoff.',
      '请检查服务器能否访问厂商（DNS、防火墙、代理）；Pushline 会退避重试。',
    ],
  ),
  Timeout: row('retry', ['the vendor did not answer in time', '厂商未在时限内应答']),
  RefusedStream: row('retry', [
    'the vendor refused the request repeatedly without processing it',
    '厂商多次拒绝处理该请求',
  ]),
  'StreamReset:': row('retry', ['the connection broke before the vendor answered', '厂商应答前连接中断']),
  'Network:': row(
    'retry',
    ['network error while talking to the vendor', '与厂商通信时发生网络错误'],
    [
      'Check that the server reaches the vendor (DNS, firewall, proxy); Pushline retries with backoff.',
      '请检查服务器能否访问厂商（DNS、防火墙、代理）；Pushline 会退避重试。',
    ],
  ),
  HTTP: row('retry', [
    'the vendor answered an HTTP error without a code of its own',
    '厂商返回了 HTTP 错误，但未附带自己的错误码',
  ]),
};

/** The prefixes of PUSHLINE_ANSWERS keys that stand for a family of codes. */
const PREFIXES = ['Network:', 'StreamReset:', 'HTTP'];

/** A code no table lists: its meaning follows from what Pushline did with it. */
const UNKNOWN_MEANING: Record<AnswerOutcome, Pair> = {
  sent: ['accepted', '已接受'],
  retry: ['an answer Pushline does not know, treated as temporary', 'Pushline 不认识的应答，按临时错误处理'],
  'invalid-token': ['the vendor refused the device token', '厂商拒绝了该设备令牌'],
  rejected: [
    'an answer Pushline does not know, treated as a refusal of this notification',
    'Pushline 不认识的应答，按拒绝该通知处理',
  ],
  'credential-error': [
    'an answer Pushline does not know, treated as a refusal of the credential',
    'Pushline 不认识的应答，按凭据被拒处理',
  ],
};

/** Outcomes as push records name them: a retry that gave up is `failed`, receipts add `undelivered`. */
function answerOutcomeOf(recordOutcome: string | undefined): AnswerOutcome | undefined {
  if (recordOutcome === 'failed' || recordOutcome === 'retrying') return 'retry';
  if (
    recordOutcome === 'sent' ||
    recordOutcome === 'invalid-token' ||
    recordOutcome === 'rejected' ||
    recordOutcome === 'credential-error'
  )
    return recordOutcome;
  return undefined;
}

/** The entry of a vendor's code, or of one of Pushline's own codes; undefined when neither knows it. */
export function findAnswer(vendor: string | null | undefined, code: string): VendorAnswerEntry | undefined {
  const table = vendor
    ? (VENDOR_ANSWERS as Record<string, Record<string, VendorAnswerEntry>>)[vendor]
    : undefined;
  const own = table?.[code] ?? PUSHLINE_ANSWERS[code];
  if (own) return own;
  const prefix = PREFIXES.find((p) => code.startsWith(p));
  return prefix ? PUSHLINE_ANSWERS[prefix] : undefined;
}

export interface Explanation extends AnswerText {
  /** Whether the table knows the code (false: explained from the outcome alone). */
  known: boolean;
}

/**
 * What a vendor answer means and what to do, in a language; `outcome` (a push record outcome: failed,
 * rejected...) explains codes no table lists. Undefined when there is nothing to explain.
 */
export function explainAnswer(
  vendor: string | null | undefined,
  code: string | null | undefined,
  outcome?: string,
  language: AnswerLanguage = 'en',
): Explanation | undefined {
  if (!code) return undefined;
  const found = findAnswer(vendor, code);
  const kind = answerOutcomeOf(outcome);
  const i = language === 'en' ? 0 : 1;
  if (found) {
    // A family of codes (HTTP503, HTTP404...) ends as the status says: what to do follows the outcome.
    if (kind && kind !== found.outcome && kind !== 'retry')
      return { meaning: found[language].meaning, action: DEFAULT_ACTION[kind][i], known: true };
    return { ...found[language], known: true };
  }
  if (!kind) return undefined;
  return { meaning: UNKNOWN_MEANING[kind][i], action: DEFAULT_ACTION[kind][i], known: false };
}

/** The language of the table for an i18next language tag ('zh-CN' -> 'zh'). */
export function answerLanguage(tag: string | undefined): AnswerLanguage {
  return tag?.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}
