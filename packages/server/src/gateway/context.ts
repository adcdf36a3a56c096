// Everything a gateway connection needs, built once by the Gateway and shared by all its connections.
import type { Logger } from 'pino';
import type { AccountsService } from '../apps/accounts.js';
import type { AppsService } from '../apps/apps.js';
import type { ProfileService } from '../apps/profiles.js';
import type { CertificateStore } from '../certificates/store.js';
import type { BindingStore } from '../devices/binding-store.js';
import type { Router } from '../devices/router.js';
import type { SessionStore } from '../devices/sessions.js';
import type { GroupJoinRequests } from '../messaging/group-join-requests.js';
import type { GroupsService } from '../messaging/groups.js';
import type { HistoryService } from '../messaging/history.js';
import type { InboxService } from '../messaging/inbox.js';
import type { MessagingService } from '../messaging/messages.js';
import type { RecallService } from '../messaging/recall.js';
import type { ReceiveSettings } from '../messaging/receive-settings.js';
import type { RecentContacts } from '../messaging/recent-contacts.js';
import type { SignalingService } from '../signaling/service.js';
import type { RelationService } from '../sns/relations.js';
import type { WebhookSender } from '../webhooks/sender.js';

export interface GatewayOptions {
  /** URL path of the WebSocket endpoint. */
  path: string;
  /** A connection silent for longer than this is closed (4008); its instance goes PushOnline or Offline. */
  heartbeatTimeoutMs: number;
  /** Heartbeat period the server asks clients to use. */
  heartbeatIntervalMs: number;
  /** A socket that has not logged in within this time is closed. */
  loginTimeoutMs: number;
  /** Largest accepted frame; larger frames close the connection with 1009. */
  maxFrameBytes: number;
  /** Largest message body (JSON of MsgBody) an SDK may send; larger gets 80002. */
  maxMessageBytes: number;
  /** How often timeouts are checked; 0 = never automatically (tests call `sweep()`). */
  sweepIntervalMs: number;
  /**
   * Outgoing bytes queued for one socket above which the gateway stops reading its requests until the
   * client has read half of them; at twice this the socket is closed with 4009 (a client that does not read).
   */
  maxBufferedBytes: number;
  /** Requests of one socket queued or running at once; more are answered at once with 7008. */
  maxInFlight: number;
}

/** What the gateway did to bound its sockets (metrics.ts reads it). */
export interface GatewayStats {
  /** Times a socket stopped being read because the client did not read its answers. */
  paused: number;
  /** Sockets closed with 4009: their outgoing queue reached twice `maxBufferedBytes`. */
  closedNotReading: number;
  /** Requests answered 7008: too many in flight on their socket. */
  refused: number;
  /** The most bytes ever queued for one socket. */
  maxBuffered: number;
}

export const DEFAULT_GATEWAY_OPTIONS: GatewayOptions = {
  path: '/ws',
  heartbeatTimeoutMs: 90_000,
  heartbeatIntervalMs: 30_000,
  loginTimeoutMs: 30_000,
  maxFrameBytes: 64 * 1024,
  maxMessageBytes: 12 * 1024,
  sweepIntervalMs: 5_000,
  maxBufferedBytes: 4 * 1024 * 1024,
  maxInFlight: 32,
};

export interface GatewayDeps {
  apps: AppsService;
  accounts: AccountsService;
  certificates: CertificateStore;
  sessions: SessionStore;
  bindings: BindingStore;
  messaging: MessagingService;
  inbox: InboxService;
  /** getUsersInfo and setSelfInfo (apps/profiles.ts). */
  profiles: ProfileService;
  recall: RecallService;
  groups: GroupsService;
  /** Requests to join NeedPermission groups (joinGroup, getGroupApplicationList, accept/refuse). */
  groupJoinRequests: GroupJoinRequests;
  receiveSettings: ReceiveSettings;
  router: Router;
  webhooks: WebhookSender;
  signaling: SignalingService;
  /** Friends and blocklists (the SDK's friend methods). */
  relations: RelationService;
  /** Pinning and deleting conversations. */
  recentContacts: RecentContacts;
  /** Message edits (the Tencent SDK's modifyMessage; REST modify_c2c_msg / modify_group_msg). */
  history: HistoryService;
  log: Logger;
  now: () => number;
}

export interface GatewayContext extends GatewayDeps {
  options: GatewayOptions;
  stats: GatewayStats;
  /** Local map instance key -> connection, so a reconnect of the same instance replaces the old socket. */
  byInstance: Map<string, { replace(): void }>;
  stateChange(
    sdkAppId: number,
    info: {
      Action: 'Login' | 'Logout' | 'Disconnect';
      To_Account: string;
      Reason: string;
      Platform: string;
      InstanceId: string;
    },
    kicked?: { Platform: string; InstanceId: string }[],
    /** The client's IP address (ClientIP of the callback), when a client caused the change. */
    clientIp?: string,
  ): void;
}

export function instanceKey(sdkAppId: number, userId: string, instanceId: string): string {
  return `${sdkAppId}\u0000${userId}\u0000${instanceId}`;
}
