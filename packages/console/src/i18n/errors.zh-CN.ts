// 简体中文 of the console API's errors: the keys of the server's CONSOLE_API_ERROR_TEXTS
// (packages/server/src/http/console/error-messages.ts), which en.ts takes as they are.
// {{detail}} is words the server cannot key (an input checker's, the v4 API's); they stay in English.
// {{why}} (zxcvbn's advice) is written from passwordAdviceZhCN by its keys (api.ts serverErrorText).
import type {
  PASSWORD_SUGGESTION_TEXTS,
  PASSWORD_WARNING_TEXTS,
} from '../../../server/src/auth/password-messages';
import type { CONSOLE_API_ERROR_TEXTS } from '../../../server/src/http/console/error-messages';

/** zxcvbn's advice (there is no Chinese package for zxcvbn). */
export const passwordAdviceZhCN: {
  warnings: typeof PASSWORD_WARNING_TEXTS;
  suggestions: typeof PASSWORD_SUGGESTION_TEXTS;
} = {
  warnings: {
    straightRow: '键盘上连成一行的按键很容易被猜到。',
    keyPattern: '简短的键盘图案很容易被猜到。',
    simpleRepeat: '像“aaa”这样的重复字符很容易被猜到。',
    extendedRepeat: '像“abcabcabc”这样的重复字符组合很容易被猜到。',
    sequences: '像“abc”这样的常见字符序列很容易被猜到。',
    recentYears: '最近的年份很容易被猜到。',
    dates: '日期很容易被猜到。',
    topTen: '这是一个被大量使用的密码。',
    topHundred: '这是一个经常被使用的密码。',
    common: '这是一个常用密码。',
    similarToCommon: '这与一个常用密码相似。',
    wordByItself: '单个单词很容易被猜到。',
    namesByThemselves: '单独的名字或姓氏很容易被猜到。',
    commonNames: '常见的名字和姓氏很容易被猜到。',
    userInputs: '密码中不应包含个人信息或与本站相关的词。',
    pwned: '您的密码已在网上的数据泄露中曝光。',
  },
  suggestions: {
    l33t: '避免可预测的字母替换，例如用“@”代替“a”。',
    reverseWords: '避免常见单词的倒写。',
    allUppercase: '只大写部分字母，而不是全部。',
    capitalization: '不要只大写首字母。',
    dates: '避免与您有关的日期和年份。',
    recentYears: '避免最近的年份。',
    associatedYears: '避免与您有关的年份。',
    sequences: '避免常见的字符序列。',
    repeated: '避免重复的单词和字符。',
    longerKeyboardPattern: '使用更长的键盘图案，并多次改变输入方向。',
    anotherWord: '加入更多不常见的单词。',
    useWords: '使用多个单词，但避免常见短语。',
    noNeed: '不用符号、数字或大写字母也能设置强密码。',
    pwned: '如果您在其他地方也使用此密码，应当更换。',
  },
};

export const serverErrorZhCN: typeof CONSOLE_API_ERROR_TEXTS = {
  signInFirst: '请先登录控制台',
  csrfHeader: '缺少 {{header}} 请求头，或其值不对',
  adminOnly: '只有控制台管理员可以执行此操作',
  signInFieldsRequired: '请输入用户名和密码',
  signInWrong: '用户名或密码错误',
  tooManyFailedSignIns: '登录失败次数过多：请在 {{seconds}} 秒后重试',
  tooManyWrongPasswords: '密码错误次数过多：请在 {{seconds}} 秒后重试',
  passwordFieldsRequired: '请输入当前密码和新密码',
  currentPasswordWrong: '当前密码错误',
  passwordUnchanged: '新密码与当前密码相同',
  passwordTooShort: '密码至少需要 {{min}} 个字符',
  passwordTooLong: '密码最多 {{max}} 个字符',
  passwordTooWeak:
    '密码太容易被猜到（强度 {{score}}/4，至少需要 {{minScore}}）。请使用四个或更多互不相关的词，或使用生成的密码。',
  passwordTooWeakBecause:
    '密码太容易被猜到（强度 {{score}}/4，至少需要 {{minScore}}）：{{why}}请使用四个或更多互不相关的词，或使用生成的密码。',

  invalidInput: '输入有误：{{detail}}',
  badText: '{{field}} 有误：{{detail}}',
  unknownField: '未知字段 {{fields}}',
  internalError: '服务器内部错误',

  appNotFound: '没有 SDKAppID 为 {{sdkAppId}} 的应用',
  appNameNotFound: '没有应用“{{app}}”',
  revealPasswordRequired: '请输入您的密码以显示密钥',
  passwordWrong: '密码错误',
  deleteAppConfirm: '请确认删除：发送 {"confirmSdkAppId": {{sdkAppId}}}',
  userSigRequired: '请发送 Authorization: Bearer <本应用管理员的 UserSig>',
  userSigOtherApp: '此 UserSig 属于应用 {{userSigApp}}，而不是 {{sdkAppId}}',
  userSigRefused: 'UserSig 无效：{{detail}}',
  notAppAdmin: '“{{identifier}}”不是应用 {{sdkAppId}} 的管理员',
  appNameRequired: '应用名称不能为空',
  appNameTooLong: '应用名称最多 {{max}} 个字符',
  appIdTaken: 'SDKAppID 为 {{sdkAppId}} 的应用已存在',
  adminIdentifierEmpty: '管理员账号不能为空（须为 1 到 32 字节的 UserID）',
  adminIdentifierNotUnicode: '管理员账号不是有效的 Unicode 文本（含有孤立的 UTF-16 代理项）',
  adminIdentifierNul: '管理员账号不能包含 NUL 字符',
  adminIdentifierControl: '管理员账号不能包含控制字符',
  adminIdentifierTooLong: '管理员账号为 {{bytes}} 字节（UTF-8），最多 {{max}} 字节',

  certificateNotFound: '应用 {{sdkAppId}} 中没有证书 {{id}}',
  certificateInputInvalid: '证书输入有误：{{detail}}',
  certVendorUnknown: '厂商必须是以下之一：{{vendors}}',
  certVoipApnsOnly: '只有 APNs 有 VoIP 证书',
  certNameTooLong: '名称最多 128 个字符',
  certNameLength: '名称须为 1 到 128 个字符',
  certDefaultsInvalid: '默认设置有误：{{problem}}',
  certFieldRequired: '请填写 {{what}}',
  certFieldSpaces: '{{label}} 不能包含空格',

  apnsP12AndP8: '请只提供 .p12 证书或 .p8 密钥之一，不要两者都提供',
  apnsNoCredential:
    'APNs 证书需要一个 .p12 证书（及其密码）或一个 .p8 密钥（及 Key ID、Team ID 和 Bundle ID）',
  apnsExpired: '此证书已于 {{date}} 过期：请在 Apple Developer 网站创建新证书',
  apnsNotYetValid: '此证书在 {{date}} 之前无效',
  apnsBundleMismatch: '此证书属于 Bundle ID“{{actual}}”，而不是“{{given}}”',
  apnsWrongEnvironment: '这是一个 {{actual}} 证书（“{{commonName}}”），不能用于 {{given}}',
  apnsChooseEnvironment:
    '此证书适用于两种环境：请选择 development（从 Xcode 运行的应用）或 production（TestFlight 和 App Store）',
  apnsNotVoip: '“{{commonName}}”不是 VoIP 证书：请为 {{bundleId}} 创建“VoIP Services Certificate”',
  apnsVoipOnly: '“{{commonName}}”是 VoIP Services 证书：只能发送 VoIP（PushKit）推送',
  apnsNotP12: '此文件不是 .p12（PKCS#12）文件：请在“钥匙串访问”中将证书连同私钥导出为 .p12',
  apnsP12WrongPassword: '此 .p12 文件的密码错误',
  apnsP12Unreadable: '无法打开此 .p12 文件：{{reason}}',
  apnsP12Unsupported:
    '此 .p12 文件使用了 Pushline 无法读取的格式或算法：请在“钥匙串访问”中将证书连同私钥重新导出',
  apnsP12Damaged: '此 .p12 文件已损坏或不完整：请在“钥匙串访问”中将证书连同私钥重新导出',
  apnsP12NoKey: '此 .p12 中没有私钥：请在“钥匙串访问”中同时选中证书及其私钥后一起导出',
  apnsP12NoMatchingCertificate: '此 .p12 中没有与其私钥匹配的证书',
  apnsNotPushCertificate: '“{{commonName}}”不是 Apple 推送证书（应为“Apple Push Services: <bundle ID>”之类）',
  apnsNotP8:
    '这不是 .p8 密钥文件：请在 Certificates, Identifiers & Profiles > Keys 中下载密钥（AuthKey_<KeyID>.p8）',
  apnsP8NotEs256: 'APNs 的 .p8 密钥必须是椭圆曲线 P-256（ES256）私钥',
  apnsKeyIdRequired: '请填写 Key ID（10 个字符，显示在开发者网站中密钥的旁边）',
  apnsKeyIdFormat: 'Key ID 由 10 个大写字母和数字组成',
  apnsTeamIdRequired: '请填写 Team ID（10 个字符，显示在 Membership 页面）',
  apnsTeamIdFormat: 'Team ID 由 10 个大写字母和数字组成',
  apnsBundleIdRequired: '请填写应用的 Bundle ID',
  apnsEnvironmentRequired:
    '请选择环境：development（从 Xcode 运行的应用）或 production（TestFlight 和 App Store）',

  fcmLegacyServerKey:
    'FCM 旧版服务器密钥已不可用：Google 已于 2024 年 7 月关闭旧版 FCM API（使用服务器密钥的那个）。请改为上传服务账号 JSON 文件：Firebase 控制台 > 项目设置 > 服务账号 > 生成新的私钥。',
  fcmServiceAccountRequired:
    '请上传服务账号 JSON 文件（Firebase 控制台 > 项目设置 > 服务账号 > 生成新的私钥）',
  fcmNotJson: '服务账号文件不是有效的 JSON',
  fcmNotObject: '服务账号文件必须是一个 JSON 对象',
  fcmNotServiceAccount:
    '此 JSON 不是服务账号密钥（其 "type" 为 {{type}}，应为 "service_account"）；google-services.json 是客户端配置，不是服务器凭据',
  fcmMissingFields: '服务账号文件缺少 {{fields}}：请从 Firebase 控制台重新下载密钥文件',
  fcmBrokenPrivateKey:
    '服务账号文件中的 private_key 已损坏（必须是 PEM 格式的 RSA 私钥）：请重新下载密钥文件',

  webpushSubjectRequired: '请填写 VAPID subject（mailto:you@example.com 或 https://your.site）',
  webpushSubject: 'VAPID subject 必须是 mailto: 地址或 https: 网址',
  webpushPublicKeyMissing: '请同时提供 VAPID 公钥和私钥',
  webpushPrivateKeyMissing: '请同时提供 VAPID 私钥和公钥',
  webpushPublicKeyFormat: 'VAPID 公钥必须是 base64url 编码的未压缩 P-256 点（65 字节）',
  webpushPrivateKeyFormat: 'VAPID 私钥必须是 base64url 编码的 32 字节',
  webpushPrivateKeyInvalid: 'VAPID 私钥不是有效的 P-256 密钥',
  webpushKeysMismatch: 'VAPID 公钥与此私钥不匹配',

  tokenHexDigits: '{{vendor}} 令牌必须是偶数个十六进制数字（{{min}} 到 {{max}} 个）',
  tokenFcmCharacters: '{{vendor}} 令牌必须是 {{min}} 到 {{max}} 个字符，只能包含 [A-Za-z0-9_:-]',
  tokenCharacters: '{{vendor}} 令牌必须是 {{min}} 到 {{max}} 个令牌字符',
  tokenRegId: '{{vendor}} 令牌必须是 {{min}} 到 {{max}} 个字符的 regId',
  tokenRegistrationId: '{{vendor}} 令牌必须是 {{min}} 到 {{max}} 个字符的注册 ID',
  tokenPushId: '{{vendor}} 令牌必须是 {{min}} 到 {{max}} 个字符的 pushId',
  tokenWebPush:
    'webpush 令牌必须是 PushSubscription 的 JSON：{"endpoint":"https://...","keys":{"p256dh":"<65 字节 base64url>","auth":"<16 字节 base64url>"}}',

  rangeOrder: '开始时间必须早于结束时间',
  rangeTooLong: '时间范围超过 31 天：请选择更短的范围',
  cursorInvalid: '分页位置无效：{{detail}}',
  pushNotFound: '没有 PushID 为 {{pushId}} 的推送',

  taskNotFound: '没有推送任务 {{taskId}}',
  taskAlreadyCancelled: '推送任务 {{taskId}} 已经取消',
  taskAlreadyStarted: '推送任务 {{taskId}} 已经开始（状态为 {{status}}）：只能取消尚未开始的推送',
  taskStateRefused: '无法执行：{{detail}}',
  audienceInvalid: '推送对象有误：{{detail}}',
  audienceTooManyTags: '标签条件（{{field}}）中有 {{count}} 个标签，最多 {{max}} 个',
  audienceAttrUndefined: '条件 {{field}}：属性“{{name}}”尚未定义（请先用 im_set_attr_name 为属性命名）',
  audienceAttrValueTooLong: '条件 {{field}}：属性“{{name}}”的值超过 {{max}} 字节',
  audienceTagRepeated: '标签“{{tag}}”同时出现在“全部满足”和“满足任一”条件中',
  audienceTagsAndAttrs: '推送条件只能是标签或属性之一，不能同时使用',
  audienceTagEmpty: '标签不能为空',
  audienceTagTooLong: '标签“{{tag}}”为 {{bytes}} 字节，最多 {{max}} 字节',
  composerTagsRequired: '按标签推送时请至少填写一个标签',
  composerAttrsRequired: '按属性推送时请至少填写一个属性值',
  composerUsersRequired: '请至少填写一个 UserID',
  composerTextRequired: '请输入通知内容',
  composerImageHttps: '图片必须是 https:// 地址',
  startAtPast: '请选择一个将来的时间',
  startAtTooFar: '定时推送最多只能提前 30 天',
  extNotJson: '自定义数据（Ext）须为 JSON，例如 {"page":"news"}',
  pushInvalid: '推送内容有误：{{detail}}',
  pushRefused: '推送被拒绝：{{detail}}（错误码 {{code}}）',

  userIdInvalid: 'UserID 有误：{{detail}}',
  userIdEmpty: 'UserID 不能为空',
  userIdNotUnicode: 'UserID 不是有效的 Unicode 文本（含有孤立的 UTF-16 代理项）',
  userIdNul: 'UserID 不能包含 NUL 字符',
  userIdControl: 'UserID 不能包含控制字符',
  userIdTooLong: 'UserID 为 {{bytes}} 字节（UTF-8），最多 {{max}} 字节',
  userNotFound: '本应用中没有用户“{{userId}}”',
  accountNotFound: '本应用中没有账号“{{userId}}”',
  bindingTypeNotFound: '“{{userId}}”的实例“{{instance}}”没有令牌类型为 {{type}} 的绑定',
  bindingNotFound: '没有这个绑定',
  kickTextTooLong: '文字最多 200 个字符',

  simulatorsNotRunning: '此 Pushline 中没有运行厂商模拟器：请以沙箱模式（npm start）启动，才能看到虚拟手机',
  phoneNotFound: '本应用中没有这台手机（已退出登录，或属于其他应用）',
  notificationSeqInvalid: '通知编号无效',
  notificationNotFound: '这台手机上没有编号为 {{seq}} 且带 PushID 的通知',
  clickReportFailed: '点击上报失败：{{detail}}',
};
