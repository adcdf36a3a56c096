// FCM's answer codes: what Pushline does with each (the outcome), what it means and what to do, in English
// and Simplified Chinese. Plain data (the web console imports it through push/answers/vendor-answers.ts).
import { QUOTA_ACTION, row, type VendorAnswerEntry } from '../../answers/answer-rows.js';

export const FCM_ANSWER_TEXTS: Record<string, VendorAnswerEntry> = {
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
};
