// The troubleshooter's texts as message keys (moved here from packages/server/src/http/console/
// troubleshoot-messages.ts, which re-exports them): each check's title, detail lines and fix is a key of
// TROUBLESHOOT_TEXTS with parameters, so the console shows them in its language (packages/console/src/i18n:
// en.ts takes these English texts as they are, zh-CN.ts has the same keys in 简体中文). The server also
// writes them out in English (troubleshoot-english.ts) for REST and CLI readers. Plain data: no imports,
// nothing that runs only in Node.
//
// A parameter is a value shown as it is (string, number) or one the reader's language writes:
//   {time}          a UNIX ms time, in local time
//   {skipReason}    why a device got no push (server push/decide/skip-reasons.ts), in words
//   {lossInfo}      what a post-send loss stage (invalid-token, rejected...) means
//   {answerMeaning} / {answerAction}  a vendor answer's meaning / what to do (vendor-answers.ts)
//   {outcome}       a vendor answer stage (sent, retry, rejected...)
//   a Message       another text of this table (nested)

export interface AnswerRef {
  vendor: string | null;
  code: string | null;
  stage: string;
}

export type MessageParam =
  | string
  | number
  | { time: number }
  | { skipReason: string }
  | { lossInfo: string }
  | { answerMeaning: AnswerRef }
  | { answerAction: AnswerRef }
  | { outcome: string }
  | Message;

export interface Message {
  key: TroubleshootTextKey;
  params?: Record<string, MessageParam>;
}

/** English texts; {{name}} is a parameter, `_one` / `_other` are plural forms chosen by `count`. */
export const TROUBLESHOOT_TEXTS = {
  accountTitle: 'The user exists',
  accountOk: '"{{userId}}" is an account of this app.',
  accountMissing: 'There is no account "{{userId}}" in this app.',
  accountMissingLoggedIn: 'There is no account "{{userId}}" in this app, although it logged in.',
  accountFix:
    'Check the UserID (it is case-sensitive) and the SDKAppID; import the account with v4/im_open_login_svc/account_import.',

  certificateTitle: 'A push certificate is configured',
  certificateNone: 'This app has no push certificate, so no device can get an offline push.',
  certificateNoneFix:
    'Add the certificate of each vendor your app uses on the Push certificates page; the app reports its ID (businessID) with the token.',
  certificateList_one: '{{count}} certificate: {{list}}.',
  certificateList_other: '{{count}} certificates: {{list}}.',
  certificatePaused: 'Certificate {{id}} is paused.',
  certificatePausedBecause: 'Certificate {{id}} is paused: {{reason}}.',
  certificatePausedFix:
    'Fix the paused credential (upload a working one) and resume it on the Push certificates page.',
  certificateLabel: 'certificate {{id}} ({{kind}}, "{{name}}")',

  loginTitle: 'Logged in (not logged out or kicked)',
  loginNever:
    '"{{userId}}" has never logged in on any device (or not in the last 7 days): there is no device to push to.',
  loginNeverFix: 'Log in with the SDK (login with a valid UserSig) on the device.',
  loginDevices_one: '{{count}} logged-in device: {{devices}}.',
  loginDevices_other: '{{count}} logged-in devices: {{devices}}.',
  loginKicked:
    '"{{userId}}" was kicked by the administrator at {{time}}: every device is logged out and its push token removed. A user who was kicked gets no offline pushes.',
  loginLoggedOut:
    'Every device of "{{userId}}" is logged out (last seen {{time}}): the app called logout, or a newer login on another device evicted it under the multi-device login policy. A user who logged out gets no offline pushes.',
  loginFix:
    'Log in again in the app (and report the token again). If the app logs out when it goes to the background, remove that logout: only a logged-in user gets offline pushes.',

  tokenTitle: 'A push token was reported after login',
  nothingToCheck: 'No logged-in device: nothing to check.',
  tokenRefused:
    '{{device}}: no token any more: the vendor refused the last one ({{code}}) at {{time}} and Pushline removed the binding. The device reports a token again at its next setOfflinePushConfig / setAPNS.',
  tokenNone: '{{device}}: no token. {{reason}}',
  tokenAlert: 'token',
  tokenVoip: 'VoIP token',
  tokenUnknownCertificate:
    '{{device}}: {{what}} reported with certificate ID {{id}}, which does not exist. {{reason}}',
  tokenReported: '{{device}}: {{what}} reported at {{time}} with {{certificate}}.',
  tokenReportedBeforeLogin:
    '{{device}}: {{what}} reported at {{time}} (before the current login; kept from an earlier one) with {{certificate}}.',
  tokenCertificatePaused: '{{device}}: certificate {{id}} of this token is paused.',
  tokenFix:
    'After login, call setOfflinePushConfig (Android) / setAPNS (iOS) with the certificate ID shown on the Push certificates page and the vendor token.',

  foregroundTitle: 'The app is in the background',
  foregroundOk: 'Every logged-in device is in the background or killed: they get offline pushes.',
  foregroundWarning: '{{devices}}: {{reason}}',
  foregroundFix:
    'This is expected while the app is open. If the app is really in the background, make it call doBackground when it leaves the foreground.',

  receiveOptionsTitle: 'Receive options and do-not-disturb allow pushes',
  receiveOptionsOk: 'No receive option or do-not-disturb window stops pushes.',
  dndOn: 'Global do-not-disturb is on now ({{repeat}}, from {{time}} for {{duration}} s). {{reason}}',
  dndDaily: 'every day',
  dndOnce: 'once',
  dndPermanent: 'permanently',
  dndFeatureOff: "The app's global do-not-disturb feature is off.",
  receiveOptionGroup: 'Receive option for group {{group}}: {{option}}.',
  receiveOptionUser: 'Receive option for messages from {{user}}: {{option}}.',
  receiveNothing: 'receive nothing',
  receiveWithoutPush: 'receive without push',
  receiveWithoutPushExceptAt: 'receive without push except @ messages',
  receiveOnlyAt: 'receive only @ messages',
  receiveOptionNumber: 'option {{opt}}',
  mutedMore: '…and {{count}} more.',
  receiveOptionsFix:
    "These are the user's own choices (setC2CReceiveMessageOpt, setGroupReceiveMessageOpt, setAllReceiveMessageOpt). REST sends ignore them unless SendMsgControl contains WithMuteNotifications.",

  vendorAnswerTitle: 'The vendor accepted the last pushes',
  noPushes:
    'No push to this user in the kept traces (7 days) matches: the message may not have been sent, or no device was logged in when it was.',
  pushLine: '{{time}} push {{pushId}}: {{explanation}}',
  pushLineVendor: '{{time}} push {{pushId}} ({{vendor}}): {{explanation}}',
  pushNotSent: 'Not sent ({{code}}): {{reason}}',
  pushLossTencent: 'normal_push_loss counts it as {{code}} "{{info}}".',
  pushLoss: 'normal_push_loss counts it as a loss with the code {{code}}.',
  pushQueued: 'Queued: no vendor answer yet.',
  pushAccepted: 'The vendor accepted it.',
  pushAcceptedReceipt: 'The vendor accepted it. The device receipt says: {{receipt}}.',
  receiptDelivered: 'delivered',
  receiptUndelivered: 'not delivered',
  receiptClicked: 'clicked',
  pushRetrying: 'The vendor answered {{code}}; Pushline retries it.',
  pushRetryingMeaning: 'The vendor answered {{code}} ({{meaning}}); Pushline retries it.',
  apnsEnvMismatch:
    'APNs answered BadDeviceToken: a {{other}} token was sent with a {{env}} certificate ({{certificate}}). {{hint}} Pushline removed the binding.',
  envProduction: 'production',
  envDevelopment: 'development',
  apnsHintProduction:
    'A development build (run from Xcode) has a development token; it only works with a development certificate.',
  apnsHintDevelopment:
    'A TestFlight or App Store build has a production token; it only works with a production certificate.',
  apnsEnvFix:
    'Have the {{other}} build report its token with the ID of a {{other}} certificate (add one if there is none), or test with a {{env}} build.',
  pushAnswered: 'The vendor answered {{code}} ({{stage}}): {{meaning}}.',
  pushAnsweredPlain: 'The vendor answered {{code}} ({{stage}}).',
  pushAnsweredInfo: 'The vendor answered {{code}} ({{stage}}: {{info}}).',
  answerAction: '{{action}}',
  credentialFix:
    'The certificate or key is wrong, expired or revoked: upload a working one and resume the certificate.',
  invalidTokenFix: 'The device must report its current token again (it does at its next login).',

  rateLimitTitle: 'No vendor rate limit',
  rateLimitOk: 'No recent push to this user was refused for a rate limit or quota.',
  rateLimited_one: 'The vendor answered {{codes}} {{count}} time: pushes were delayed and retried.',
  rateLimited_other: 'The vendor answered {{codes}} {{count}} times: pushes were delayed and retried.',
  rateLimitGaveUp_one: '{{count}} push gave up after its retries.',
  rateLimitGaveUp_other: '{{count}} pushes gave up after their retries.',
  rateLimitFix:
    'Vendor quotas limit pushes per app and day or per second; spread large sends out, or ask the vendor for a higher quota.',
};

/** A key as the checks use it: plural keys without their `_one` / `_other` suffix. */
export type TroubleshootTextKey = keyof typeof TROUBLESHOOT_TEXTS extends infer K
  ? K extends `${infer Base}_${'one' | 'other'}`
    ? Base
    : K
  : never;
