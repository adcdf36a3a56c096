// The troubleshooter's texts as message keys: one definition in @pushline/contracts (troubleshoot-texts.ts),
// shared with the console.
export {
  type AnswerRef,
  type Message,
  type MessageParam,
  TROUBLESHOOT_TEXTS,
  type TroubleshootTextKey,
} from '@pushline/contracts';
