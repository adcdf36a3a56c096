// Meizu's answer codes: what Pushline does with each (the outcome), what it means and what to do, in English
// and Simplified Chinese. Plain data (the web console imports it through push/answers/vendor-answers.ts).
import { QUOTA_ACTION, row, type VendorAnswerEntry } from '../../answers/answer-rows.js';

export const MEIZU_ANSWER_TEXTS: Record<string, VendorAnswerEntry> = {
  '200': row('sent', ['accepted (pushIds listed in value excepted)', '已接受（value 中列出的 pushId 除外）']),
  '110002': row('invalid-token', ['pushId not registered (app uninstalled)', 'pushId 未注册（应用已卸载）']),
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
};
