// Honor's answer codes: what Pushline does with each (the outcome), what it means and what to do, in English
// and Simplified Chinese. Plain data (the web console imports it through push/answers/vendor-answers.ts).
import { row, type VendorAnswerEntry } from '../../answers/answer-rows.js';

export const HONOR_ANSWER_TEXTS: Record<string, VendorAnswerEntry> = {
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
  '80200003': row('credential-error', ['token expired (after renewing it once)', '令牌已过期（已续签一次）']),
  '81000001': row('retry', ['Honor internal error or traffic control', '荣耀内部错误或流量控制']),
  oauth: row('credential-error', [
    'the token endpoint refused the client ID or client secret',
    '令牌端点拒绝了 Client ID 或 Client Secret',
  ]),
};
