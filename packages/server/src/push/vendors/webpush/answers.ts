// Web Push's answer codes: what Pushline does with each (the outcome), what it means and what to do, in English
// and Simplified Chinese. Plain data (the web console imports it through push/answers/vendor-answers.ts).
import { row, type VendorAnswerEntry } from '../../answers/answer-rows.js';

export const WEBPUSH_ANSWER_TEXTS: Record<string, VendorAnswerEntry> = {
  '201': row('sent', ['accepted (Created)', '已接受（Created）']),
  '400': row('rejected', ['the push service refused the request', '推送服务拒绝了该请求']),
  '401': row('credential-error', ['VAPID authorization refused', 'VAPID 授权被拒绝']),
  '403': row(
    'credential-error',
    ['the subscription was created with another VAPID key', '该订阅是用另一个 VAPID 密钥创建的'],
    [
      'Upload the VAPID key the web app subscribes with, or have the page subscribe again with the current key.',
      '请上传网页应用订阅时所用的 VAPID 密钥，或让网页用当前密钥重新订阅。',
    ],
  ),
  '404': row('invalid-token', ['the subscription does not exist', '订阅不存在']),
  '410': row('invalid-token', ['the subscription expired or was unsubscribed', '订阅已过期或已取消']),
  '413': row('rejected', [
    'payload too large (4096 bytes are always accepted)',
    '负载过大（4096 字节以内总会被接受）',
  ]),
  '429': row('retry', ['rate limited; retried after Retry-After', '被限流；按 Retry-After 重试']),
  BadSubscription: row('invalid-token', [
    'the token is not a valid PushSubscription JSON',
    '该令牌不是有效的 PushSubscription JSON',
  ]),
};
