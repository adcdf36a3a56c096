// OPPO's answer codes: what Pushline does with each (the outcome), what it means and what to do, in English
// and Simplified Chinese. Plain data (the web console imports it through push/answers/vendor-answers.ts).
import { QUOTA_ACTION, row, type VendorAnswerEntry } from '../../answers/answer-rows.js';

export const OPPO_ANSWER_TEXTS: Record<string, VendorAnswerEntry> = {
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
};
