// 简体中文 of the troubleshooter's checks: the keys of the server's TROUBLESHOOT_TEXTS
// (@pushline/contracts' troubleshoot-texts.ts), which en.ts takes as they are.
import type { TROUBLESHOOT_TEXTS } from '@pushline/contracts';

export const checkTextZhCN: typeof TROUBLESHOOT_TEXTS = {
  accountTitle: '用户存在',
  accountOk: '“{{userId}}”是本应用的账号。',
  accountMissing: '本应用中没有账号“{{userId}}”。',
  accountMissingLoggedIn: '本应用中没有账号“{{userId}}”，但该账号登录过。',
  accountFix: '请检查 UserID（区分大小写）和 SDKAppID；可用 v4/im_open_login_svc/account_import 导入账号。',

  certificateTitle: '已配置推送证书',
  certificateNone: '本应用没有推送证书，因此任何设备都收不到离线推送。',
  certificateNoneFix:
    '请在“推送证书”页面添加应用所用每个厂商的证书；应用上报令牌时会一并上报证书 ID（businessID）。',
  certificateList_one: '{{count}} 个证书：{{list}}。',
  certificateList_other: '{{count}} 个证书：{{list}}。',
  certificatePaused: '证书 {{id}} 已暂停。',
  certificatePausedBecause: '证书 {{id}} 已暂停：{{reason}}。',
  certificatePausedFix: '请修复被暂停的凭据（上传可用的证书），然后在“推送证书”页面恢复它。',
  certificateLabel: '证书 {{id}}（{{kind}}，“{{name}}”）',

  loginTitle: '处于登录状态（未登出、未被踢下线）',
  loginNever: '“{{userId}}”从未在任何设备上登录过（或最近 7 天内没有）：没有可以推送的设备。',
  loginNeverFix: '请在设备上用 SDK 登录（使用有效的 UserSig 调用 login）。',
  loginDevices_one: '{{count}} 台已登录设备：{{devices}}。',
  loginDevices_other: '{{count}} 台已登录设备：{{devices}}。',
  loginKicked:
    '“{{userId}}”已于 {{time}} 被管理员踢下线：所有设备均已登出，推送令牌已删除。被踢下线的用户收不到离线推送。',
  loginLoggedOut:
    '“{{userId}}”的所有设备均已登出（最后在线 {{time}}）：应用调用了 logout，或按多端登录策略被另一台设备上的新登录挤下线。已登出的用户收不到离线推送。',
  loginFix:
    '请在应用中重新登录（并重新上报令牌）。如果应用切到后台时会登出，请去掉该登出：只有已登录的用户才能收到离线推送。',

  tokenTitle: '登录后已上报推送令牌',
  nothingToCheck: '没有已登录的设备：无需检查。',
  tokenRefused:
    '{{device}}：已没有令牌：厂商于 {{time}} 拒绝了上一个令牌（{{code}}），Pushline 已删除该绑定。设备下次调用 setOfflinePushConfig / setAPNS 时会重新上报令牌。',
  tokenNone: '{{device}}：没有令牌。{{reason}}',
  tokenAlert: '令牌',
  tokenVoip: 'VoIP 令牌',
  tokenUnknownCertificate: '{{device}}：上报{{what}}时使用的证书 ID {{id}} 不存在。{{reason}}',
  tokenReported: '{{device}}：已于 {{time}} 上报{{what}}，使用{{certificate}}。',
  tokenReportedBeforeLogin:
    '{{device}}：已于 {{time}} 上报{{what}}（早于本次登录，沿用之前的登录），使用{{certificate}}。',
  tokenCertificatePaused: '{{device}}：该令牌所用的证书 {{id}} 已暂停。',
  tokenFix:
    '登录后，请用“推送证书”页面显示的证书 ID 和厂商令牌调用 setOfflinePushConfig（Android）/ setAPNS（iOS）。',

  foregroundTitle: '应用处于后台',
  foregroundOk: '所有已登录设备的应用都在后台或已被杀死：它们会收到离线推送。',
  foregroundWarning: '{{devices}}：{{reason}}',
  foregroundFix: '应用打开时这是正常的。如果应用实际已在后台，请让它在离开前台时调用 doBackground。',

  receiveOptionsTitle: '接收选项与免打扰允许推送',
  receiveOptionsOk: '没有任何接收选项或免打扰时段阻止推送。',
  dndOn: '全局免打扰当前已开启（{{repeat}}，自 {{time}} 起持续 {{duration}} 秒）。{{reason}}',
  dndDaily: '每天',
  dndOnce: '一次',
  dndPermanent: '永久',
  dndFeatureOff: '本应用的全局免打扰功能已关闭。',
  receiveOptionGroup: '对群组 {{group}} 的接收选项：{{option}}。',
  receiveOptionUser: '对来自 {{user}} 的消息的接收选项：{{option}}。',
  receiveNothing: '不接收消息',
  receiveWithoutPush: '接收但不推送',
  receiveWithoutPushExceptAt: '接收但不推送，@ 消息除外',
  receiveOnlyAt: '只接收 @ 消息',
  receiveOptionNumber: '选项 {{opt}}',
  mutedMore: '……另有 {{count}} 项。',
  receiveOptionsFix:
    '这些是用户自己的设置（setC2CReceiveMessageOpt、setGroupReceiveMessageOpt、setAllReceiveMessageOpt）。REST 发送会忽略它们，除非 SendMsgControl 包含 WithMuteNotifications。',

  vendorAnswerTitle: '厂商已接受最近的推送',
  noPushes:
    '保留的推送轨迹（7 天）中没有发给该用户的匹配推送：消息可能没有发送，或发送时没有设备处于登录状态。',
  pushLine: '{{time}} 推送 {{pushId}}：{{explanation}}',
  pushLineVendor: '{{time}} 推送 {{pushId}}（{{vendor}}）：{{explanation}}',
  pushNotSent: '未发送（{{code}}）：{{reason}}',
  pushLossTencent: 'normal_push_loss 将其计为 {{code}}“{{info}}”。',
  pushLoss: 'normal_push_loss 将其计为丢失，错误码为 {{code}}。',
  pushQueued: '已排队：厂商尚未应答。',
  pushAccepted: '厂商已接受该推送。',
  pushAcceptedReceipt: '厂商已接受该推送。设备回执：{{receipt}}。',
  receiptDelivered: '已送达',
  receiptUndelivered: '未送达',
  receiptClicked: '已点击',
  pushRetrying: '厂商应答 {{code}}；Pushline 正在重试。',
  pushRetryingMeaning: '厂商应答 {{code}}（{{meaning}}）；Pushline 正在重试。',
  apnsEnvMismatch:
    'APNs 应答 BadDeviceToken：用{{env}}证书（{{certificate}}）发送了{{other}}令牌。{{hint}}Pushline 已删除该绑定。',
  envProduction: '生产环境',
  envDevelopment: '开发环境',
  apnsHintProduction: '开发构建（从 Xcode 运行）的令牌属于开发环境，只能配合开发证书使用。',
  apnsHintDevelopment: 'TestFlight 或 App Store 构建的令牌属于生产环境，只能配合生产证书使用。',
  apnsEnvFix: '请让{{other}}构建用{{other}}证书的 ID 上报令牌（若没有则添加一个），或改用{{env}}构建测试。',
  pushAnswered: '厂商应答 {{code}}（{{stage}}）：{{meaning}}。',
  pushAnsweredPlain: '厂商应答 {{code}}（{{stage}}）。',
  pushAnsweredInfo: '厂商应答 {{code}}（{{stage}}：{{info}}）。',
  answerAction: '{{action}}',
  credentialFix: '证书或密钥错误、已过期或已吊销：请上传可用的证书，然后恢复该证书。',
  invalidTokenFix: '设备必须重新上报当前的令牌（下次登录时会自动上报）。',

  rateLimitTitle: '未触发厂商频率限制',
  rateLimitOk: '最近发给该用户的推送没有因频率限制或配额被拒。',
  rateLimited_one: '厂商 {{count}} 次应答 {{codes}}：推送被延迟并重试。',
  rateLimited_other: '厂商 {{count}} 次应答 {{codes}}：推送被延迟并重试。',
  rateLimitGaveUp_one: '{{count}} 条推送重试后放弃。',
  rateLimitGaveUp_other: '{{count}} 条推送重试后放弃。',
  rateLimitFix: '厂商配额会按应用每天或每秒限制推送量；请把大批量发送分散开，或向厂商申请更高配额。',
};
