// Every v4 command of the messaging stage: C2C and batch sends, groups, online status, do-not-disturb.
import type { AccountsService } from '../../apps/accounts.js';
import type { SessionStore } from '../../devices/sessions.js';
import type { GroupsService } from '../../messaging/groups.js';
import type { MessagingService } from '../../messaging/messages.js';
import type { RecallService } from '../../messaging/recall.js';
import type { ReceiveSettings } from '../../messaging/receive-settings.js';
import type { V4Command } from './command.js';
import { groupCommands } from './groups.js';
import { messageCommands } from './messages.js';
import { presenceCommands } from './presence.js';
import { recallCommands } from './recall.js';

export interface MessagingCommandDeps {
  accounts: AccountsService;
  messaging: MessagingService;
  groups: GroupsService;
  receiveSettings: ReceiveSettings;
  sessions: SessionStore;
  recall: RecallService;
}

export function messagingCommands(deps: MessagingCommandDeps): V4Command[] {
  return [
    ...messageCommands(deps),
    ...groupCommands(deps),
    ...presenceCommands(deps),
    ...recallCommands(deps),
  ];
}
