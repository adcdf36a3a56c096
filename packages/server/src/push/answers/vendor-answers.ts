// The one table of vendor answers: for each vendor and answer code, what Pushline does with it (the outcome),
// what it means and what to do about it, in English and Simplified Chinese. The channels build their answer
// -> outcome tables from it (channels/*.ts), and traces, push records, statistics, the troubleshooter and
// normal_push_loss explain codes with it. The web console imports this file too (packages/console/src/
// answers.ts), so it must stay plain data: no imports but types, nothing that runs only in Node. The APNs rows
// explain exactly the reasons of @pushline/contracts' APNS_REASONS (the reason -> HTTP status table the APNs
// simulator answers with); the vendors are its VENDORS.
import type { ApnsReason, Vendor } from '@pushline/contracts';

export type AnswerOutcome = 'sent' | 'retry' | 'invalid-token' | 'rejected' | 'credential-error';
export type AnswerVendor = Vendor;
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

type Pair = readonly [en: string, zh: string];

/** What to do, when a row names nothing more precise: it follows from what Pushline did. */
const DEFAULT_ACTION: Record<AnswerOutcome, Pair> = {
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

function row(outcome: AnswerOutcome, meaning: Pair, action?: Pair): VendorAnswerEntry {
  const a = action ?? DEFAULT_ACTION[outcome];
  return { outcome, en: { meaning: meaning[0], action: a[0] }, zh: { meaning: meaning[1], action: a[1] } };
}

const ENV_ACTION: Pair = [
  'Make sure the app build and the certificate use the same environment: a development (Xcode) build needs a development certificate, a TestFlight or App Store build a production one.',
  '请确认应用构建与证书属于同一环境：开发（Xcode）构建需使用开发证书，TestFlight 或 App Store 构建需使用生产证书。',
];
const QUOTA_ACTION: Pair = [
  'Pushline retries later. Ask the vendor for a higher quota, or apply for a private (system) message channel, if this happens often.',
  'Pushline 稍后会重试。若经常出现，请向厂商申请更高配额，或申请私信（系统消息）通道。',
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
  fcm: {
    UNREGISTERED: row('invalid-token', [
      'the app was uninstalled or the token expired',
      '应用已卸载或令牌已过期',
    ]),
    INVALID_ARGUMENT: row('rejected', [
      'the message (or token format) is invalid; ambiguous, so the binding is kept',
      '消息（或令牌格式）无效；原因不明确，因此保留绑定',
    ]),
    SENDER_ID_MISMATCH: row(
      'rejected',
      [
        'the token belongs to another Firebase project than the service account; the binding is kept in case the certificate is what is wrong',
        '该令牌属于与服务账号不同的 Firebase 项目；为防证书有误，保留绑定',
      ],
      [
        'Upload the service account of the Firebase project the app is built with (google-services.json names it).',
        '请上传应用所用 Firebase 项目的服务账号（google-services.json 中有项目名）。',
      ],
    ),
    QUOTA_EXCEEDED: row(
      'retry',
      [
        'project, device or topic rate exceeded; retried after Retry-After',
        '超出项目、设备或主题的速率限制；按 Retry-After 重试',
      ],
      QUOTA_ACTION,
    ),
    UNAVAILABLE: row('retry', ['FCM is overloaded', 'FCM 过载']),
    INTERNAL: row('retry', ['FCM internal error', 'FCM 内部错误']),
    THIRD_PARTY_AUTH_ERROR: row(
      'credential-error',
      [
        'the APNs certificate or Web Push key configured in Firebase was refused',
        'Firebase 中配置的 APNs 证书或 Web Push 密钥被拒绝',
      ],
      [
        'Check the APNs key or Web Push key in the Firebase console’s Cloud Messaging settings.',
        '请检查 Firebase 控制台 Cloud Messaging 设置中的 APNs 密钥或 Web Push 密钥。',
      ],
    ),
    UNAUTHENTICATED: row('credential-error', [
      'the access token was refused even after renewing it',
      '访问令牌续签后仍被拒绝',
    ]),
    PERMISSION_DENIED: row('credential-error', [
      'the service account may not send for this project',
      '该服务账号无权为此项目发送',
    ]),
    NOT_FOUND: row('credential-error', ['no such Firebase project', 'Firebase 项目不存在']),
    invalid_grant: row('credential-error', [
      'the token endpoint refused the service account (key deleted or disabled?)',
      '令牌端点拒绝了该服务账号（密钥已删除或停用？）',
    ]),
    invalid_scope: row('credential-error', [
      'the token endpoint refused the scope',
      '令牌端点拒绝了该授权范围',
    ]),
  },
  huawei: {
    '80000000': row('sent', ['success', '成功']),
    '80100000': row('sent', [
      'partial success: the tokens listed in illegal_tokens are invalid, the rest went',
      '部分成功：illegal_tokens 中的令牌无效，其余已发出',
    ]),
    illegal_token: row('invalid-token', [
      'a token listed as illegal in a partial success',
      '部分成功的应答中被列为非法的令牌',
    ]),
    '80300007': row('invalid-token', [
      'all tokens invalid (uninstalled, or a token of another app)',
      '所有令牌均无效（已卸载，或属于其他应用）',
    ]),
    '80100001': row('rejected', ['invalid request parameters', '请求参数无效']),
    '80100003': row('rejected', ['illegal message structure', '消息结构非法']),
    '80100004': row('rejected', ['TTL already in the past', 'TTL 已过期']),
    '80100016': row(
      'rejected',
      ['the message contains sensitive content', '消息包含敏感内容'],
      ['Reword the title and text of the notification.', '请修改通知的标题和正文措辞。'],
    ),
    '80300002': row('rejected', ['no permission to send to these tokens', '无权向这些令牌发送']),
    '80300008': row(
      'rejected',
      ['message body above 4096 bytes', '消息体超过 4096 字节'],
      ['Shorten the title, text or custom data (Ext).', '请缩短标题、正文或自定义数据（Ext）。'],
    ),
    '80300010': row('rejected', ['token count not in 1..1000', '令牌数量不在 1..1000 之间']),
    '80300011': row(
      'rejected',
      ['no permission for high-priority messages', '无权发送高优先级消息'],
      [
        'Apply for the message category (self-classification) in Huawei AppGallery Connect, or send at normal priority.',
        '请在华为 AppGallery Connect 申请消息分类（自分类）权益，或以普通优先级发送。',
      ],
    ),
    '80200001': row('credential-error', [
      'OAuth authentication failed (after renewing the token once)',
      'OAuth 鉴权失败（已续签令牌一次）',
    ]),
    '80200003': row('credential-error', [
      'OAuth token expired (after renewing it once)',
      'OAuth 令牌已过期（已续签一次）',
    ]),
    '80600003': row('retry', ['the OAuth service failed', 'OAuth 服务故障']),
    '81000001': row('retry', ['Huawei internal error or traffic control', '华为内部错误或流量控制']),
    oauth: row('credential-error', [
      'the OAuth endpoint refused the app ID or app secret',
      'OAuth 端点拒绝了 App ID 或 App Secret',
    ]),
  },
  honor: {
    '200': row('sent', [
      'accepted (tokens not listed in expireTokens/failTokens)',
      '已接受（未列在 expireTokens/failTokens 中的令牌）',
    ]),
    expireToken: row('invalid-token', [
      'listed in expireTokens: the app was uninstalled',
      '列在 expireTokens 中：应用已卸载',
    ]),
    failToken: row('rejected', [
      'listed in failTokens: Honor did not say why, so the binding is kept',
      '列在 failTokens 中：荣耀未说明原因，因此保留绑定',
    ]),
    '80100001': row('rejected', ['invalid request parameters', '请求参数无效']),
    '80100003': row('rejected', ['illegal message structure', '消息结构非法']),
    '80300008': row('rejected', ['message body too large', '消息体过大']),
    '80300010': row('rejected', ['too many tokens', '令牌数量过多']),
    '80200001': row('credential-error', [
      'authentication failed (after renewing the token once)',
      '鉴权失败（已续签令牌一次）',
    ]),
    '80200003': row('credential-error', [
      'token expired (after renewing it once)',
      '令牌已过期（已续签一次）',
    ]),
    '81000001': row('retry', ['Honor internal error or traffic control', '荣耀内部错误或流量控制']),
    oauth: row('credential-error', [
      'the token endpoint refused the client ID or client secret',
      '令牌端点拒绝了 Client ID 或 Client Secret',
    ]),
  },
  xiaomi: {
    '0': row('sent', [
      'accepted (regIds listed in bad_regids excepted)',
      '已接受（bad_regids 中的 regId 除外）',
    ]),
    bad_regid: row('invalid-token', [
      'listed in bad_regids: not a valid regId of this app',
      '列在 bad_regids 中：不是该应用的有效 regId',
    ]),
    '20301': row('invalid-token', [
      'no valid target: the regId is unknown or the app was uninstalled',
      '没有有效目标：regId 未知或应用已卸载',
    ]),
    '21301': row('credential-error', ['invalid AppSecret', 'AppSecret 无效']),
    '22022': row(
      'credential-error',
      ['the package name does not belong to this AppSecret', '包名与该 AppSecret 不匹配'],
      [
        'Check the package name and AppSecret of the Xiaomi certificate against the Xiaomi open platform.',
        '请对照小米开放平台检查小米证书的包名与 AppSecret。',
      ],
    ),
    '10016': row('rejected', ['too many regIds in one request', '单个请求中的 regId 过多']),
    '10017': row(
      'rejected',
      ['invalid parameters (title, description...)', '参数无效（标题、描述等）'],
      [
        'Check the title and text: Xiaomi needs a non-empty title and description within its length limits.',
        '请检查标题与正文：小米要求标题和描述非空且不超过长度限制。',
      ],
    ),
    '200001': row('retry', ['request rate limit exceeded', '超出请求频率限制'], QUOTA_ACTION),
  },
  oppo: {
    '0': row('sent', ['accepted', '已接受']),
    '-2': row('retry', ['OPPO flow control', 'OPPO 流量控制']),
    '-1': row('retry', ['OPPO service unavailable', 'OPPO 服务不可用']),
    '11': row('credential-error', [
      'invalid auth_token (after renewing it once)',
      'auth_token 无效（已续签一次）',
    ]),
    '13': row('retry', ['app call limit exceeded', '超出应用调用次数限制'], QUOTA_ACTION),
    '14': row('credential-error', ['invalid AppKey', 'AppKey 无效']),
    '16': row('credential-error', ['invalid signature: wrong MasterSecret', '签名无效：MasterSecret 错误']),
    '28': row('credential-error', ['the app is disabled', '应用已被停用']),
    '33': row(
      'retry',
      ['daily message limit exceeded (public channel)', '超出每日消息上限（公信通道）'],
      QUOTA_ACTION,
    ),
    '40': row('rejected', ['a required argument is missing', '缺少必填参数']),
    '41': row('rejected', [
      'an argument is invalid (title or content too long...)',
      '参数无效（标题或内容过长等）',
    ]),
    '10000': row('invalid-token', [
      'invalid registration ID: unknown or uninstalled',
      '注册 ID 无效：未知或已卸载',
    ]),
  },
  vivo: {
    '0': row('sent', ['accepted', '已接受']),
    '10000': row('credential-error', [
      'authentication failed: wrong app ID, AppKey or AppSecret',
      '鉴权失败：App ID、AppKey 或 AppSecret 错误',
    ]),
    '10055': row('rejected', ['invalid parameters', '参数无效']),
    '10070': row('retry', ['daily push quota exceeded', '超出每日推送配额'], QUOTA_ACTION),
    '10094': row('credential-error', ['the appId does not match the auth token', 'appId 与鉴权令牌不匹配']),
    '10252': row('rejected', ['over the per-request limit', '超出单次请求上限']),
    '10302': row('invalid-token', [
      'invalid regId: unknown or the app was uninstalled',
      'regId 无效：未知或应用已卸载',
    ]),
    '10305': row('retry', [
      'duplicate requestId (each attempt uses a new one, so this is vivo-side trouble)',
      'requestId 重复（每次尝试都用新的 requestId，因此是 vivo 侧的问题）',
    ]),
    invalidUser: row('invalid-token', [
      'listed in invalidUsers of a pushToList answer: not a valid regId of this app (unknown or uninstalled)',
      '列在 pushToList 应答的 invalidUsers 中：不是该应用的有效 regId（未知或已卸载）',
    ]),
  },
  meizu: {
    '200': row('sent', [
      'accepted (pushIds listed in value excepted)',
      '已接受（value 中列出的 pushId 除外）',
    ]),
    '110002': row('invalid-token', [
      'pushId not registered (app uninstalled)',
      'pushId 未注册（应用已卸载）',
    ]),
    '110003': row('invalid-token', ['illegal pushId', 'pushId 非法']),
    '110005': row('invalid-token', ['pushId no longer valid', 'pushId 已失效']),
    '110010': row('retry', [
      'sending too fast (or, per pushId, notifications switched off)',
      '发送过快（或针对单个 pushId：通知已关闭）',
    ]),
    '110011': row(
      'retry',
      ['public-channel daily limit for this device reached', '该设备的公共通道每日上限已达到'],
      QUOTA_ACTION,
    ),
    '110019': row('retry', ['daily limit reached', '已达到每日上限'], QUOTA_ACTION),
    '519': row('retry', ['Meizu overloaded', '魅族服务过载']),
    '520': row('rejected', [
      'collapsed: more than 5 messages per minute to this device',
      '已折叠：每分钟向该设备发送超过 5 条消息',
    ]),
    '1001': row('retry', ['Meizu system error', '魅族系统错误']),
    '1003': row('retry', ['Meizu busy', '魅族服务繁忙']),
    '500': row('retry', ['Meizu internal error', '魅族内部错误']),
    '1005': row(
      'rejected',
      ['parameter error', '参数错误'],
      [
        'Check the title and text: Meizu needs both, within its length limits (title 32, text 100 characters).',
        '请检查标题与正文：魅族要求两者都非空且不超过长度限制（标题 32 字、正文 100 字）。',
      ],
    ),
    '110004': row('rejected', ['a parameter is empty', '某个参数为空']),
    '1006': row('credential-error', ['signature error: wrong AppSecret', '签名错误：AppSecret 错误']),
    '110000': row('credential-error', ['invalid app ID', 'App ID 无效']),
    '110001': row('credential-error', ['invalid AppKey', 'AppKey 无效']),
    '110009': row('credential-error', ['the app is blacklisted', '应用已被列入黑名单']),
    '110033': row('credential-error', ['invalid AppSecret', 'AppSecret 无效']),
  },
  webpush: {
    '201': row('sent', ['accepted (Created)', '已接受（Created）']),
    '400': row('rejected', ['the push service refused the request', '推送服务拒绝了该请求']),
    '401': row('credential-error', ['VAPID authorization refused', 'VAPID 授权被拒绝']),
    '403': row(
      'credential-error',
      ['the subscription was created with another VAPID key', '该订阅是用另一个 VAPID 密钥创建的'],
      [
        'Upload the VAPID key the web app subscribes with, or have the page subscribe again with the current key.',
        '请上传网页应用订阅时所用的 VAPID 密钥，或让网页用当前密钥重新订阅。',
      ],
    ),
    '404': row('invalid-token', ['the subscription does not exist', '订阅不存在']),
    '410': row('invalid-token', ['the subscription expired or was unsubscribed', '订阅已过期或已取消']),
    '413': row('rejected', [
      'payload too large (4096 bytes are always accepted)',
      '负载过大（4096 字节以内总会被接受）',
    ]),
    '429': row('retry', ['rate limited; retried after Retry-After', '被限流；按 Retry-After 重试']),
    BadSubscription: row('invalid-token', [
      'the token is not a valid PushSubscription JSON',
      '该令牌不是有效的 PushSubscription JSON',
    ]),
  },
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
