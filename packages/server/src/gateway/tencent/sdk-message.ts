// A message as the SDK's frames carry it (frames.ts, group-tips.ts).
import type { MessageView } from '../../messaging/view.js';

/** A stored message and the sender's client time, if its sender gave one (InboxEntry has both). */
export interface SdkMessage {
  message: MessageView;
  clientTime?: number;
}
