// vivo's answer codes: what Pushline does with each (the outcome), what it means and what to do, in English
// and Simplified Chinese. Plain data (the web console imports it through push/answers/vendor-answers.ts).
import { QUOTA_ACTION, row, type VendorAnswerEntry } from '../../answers/answer-rows.js';

export const VIVO_ANSWER_TEXTS: Record<string, VendorAnswerEntry> = {
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
};
