// Huawei's answer codes: what Pushline does with each (the outcome), what it means and what to do, in English
// and Simplified Chinese. Plain data (the web console imports it through push/answers/vendor-answers.ts).
import { row, type VendorAnswerEntry } from '../../answers/answer-rows.js';

export const HUAWEI_ANSWER_TEXTS: Record<string, VendorAnswerEntry> = {
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
};
