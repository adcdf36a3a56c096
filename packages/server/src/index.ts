// Library entry of the `pushline` package: embed the server or reuse its pieces in tests.
export { AccountsService } from './apps/accounts.js';
export { type App, AppsService, type AppWithSecret } from './apps/apps.js';
export { AttributeStore } from './audience/attributes.js';
export {
  type AudienceFilter,
  audienceKind,
  type Condition,
  resolveCondition,
} from './audience/condition.js';
export { AudienceQuery } from './audience/query.js';
export { TagStore } from './audience/tags.js';
export { loadMasterKey, SecretBox } from './auth/secret-box.js';
export { decodeUserSig, genUserSig, UserSigError, verifyUserSig } from './auth/usersig.js';
export { type CertificateInput, CertificateInputError } from './certificates/input.js';
export { CertificateService } from './certificates/service.js';
export { CONFIG_KEYS, loadConfig, type PushlineConfig } from './config.js';
export { BindingStore } from './devices/binding-store.js';
export {
  type InstanceInfo,
  type PushBinding,
  type PushTarget,
  type SessionState,
  SessionStore,
} from './devices/sessions.js';
export type { GatewayOptions } from './gateway/context.js';
export { type PushCommandDeps, pushCommands } from './http/v4/all-member-push.js';
export type { CommittedMessage, MessageCommittedHook, RecipientOutcome } from './messaging/hooks.js';
export {
  dndActive,
  evaluateReceive,
  type GlobalDnd,
  type ReceiveDecision,
  type ReceiveInput,
  ReceiveOpt,
} from './messaging/receive-options.js';
/** @deprecated The old name of CertificateChannels, kept for code embedding the server. */
export { CertificateChannels, CertificateChannels as ChannelRegistry } from './push/channels/index.js';
export type { PushQueue } from './push/queue/index.js';
export { OutboxPushQueue, RedisPushQueue, SqlPushQueue } from './push/queue/index.js';
export { batchPages, resumeUnfinished } from './push/tasks/resume.js';
export { PushTaskService, TaskStateError } from './push/tasks/store.js';
export type {
  FanOutStarter,
  PushTask,
  PushTaskCounts,
  PushTaskKind,
  PushTaskStatus,
} from './push/tasks/types.js';
export { DEMO_SDKAPPID, ensureDemoApp } from './sandbox/demo.js';
export { type CreateOptions, createPushline, type Pushline } from './server.js';
export { WebhookSender } from './webhooks/sender.js';
