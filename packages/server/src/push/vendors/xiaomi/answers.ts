// Xiaomi's answer codes: what Pushline does with each (the outcome), what it means and what to do, in English
// and Simplified Chinese. Plain data (the web console imports it through push/answers/vendor-answers.ts).
import { QUOTA_ACTION, row, type VendorAnswerEntry } from '../../answers/answer-rows.js';

export const XIAOMI_ANSWER_TEXTS: Record<string, VendorAnswerEntry> = {
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
};
