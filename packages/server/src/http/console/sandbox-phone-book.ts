// The virtual phones of one app, for the console's sandbox phones page: the simulators' virtual devices
// whose token is bound to a device instance of that app (push_bindings), with who is logged in there and
// what the phone showed. An app never sees another app's phones or notifications.
import { createHash } from 'node:crypto';
import type {
  PhoneAppState,
  PhoneNotification,
  PhonePlatform,
  Phone as PhoneView,
} from '@pushline/contracts';
import type { PushRecord, Simulators, VirtualDevice } from '@pushline/simulator';
import { type Kysely, sql } from 'kysely';
import { looksLikePushId } from '../../push/outcomes/push-id.js';
import { PUSH_ID_KEY } from '../../push/outcomes/receipt-fields.js';
import type { Database } from '../../store/schema.js';

/** Phones and their notifications as the console API sends them (@pushline/contracts). */
export type { PhoneAppState, PhoneNotification, PhonePlatform, PhoneView };

type Owner = { userId: string; instanceId: string };

/** An instance's state and background flag as the phone's app state. */
export function appStateOf(instance: { state: string; background: boolean } | undefined): PhoneAppState {
  if (!instance || instance.state === 'Offline') return 'offline';
  return instance.state === 'PushOnline' || instance.background ? 'background' : 'foreground';
}

const RECENT = 20;
const RECHECK_MS = 2000;

/** A phone's ID in the console: stable, and no use for pushing (the token itself stays on the server). */
export const phoneId = (vendor: string, token: string) =>
  createHash('sha256').update(`${vendor}\u0000${token}`).digest('base64url').slice(0, 22);

export function platformOf(vendor: string): PhonePlatform {
  return vendor === 'apns' ? 'ios' : vendor === 'webpush' ? 'web' : 'android';
}

export function notificationView(r: PushRecord): PhoneNotification {
  return {
    seq: r.seq,
    vendor: r.vendor,
    phoneId: phoneId(r.vendor, r.token),
    title: r.title ?? null,
    subtitle: r.subtitle ?? null,
    body: r.body ?? null,
    badge: r.badge ?? null,
    sound: r.sound ?? null,
    image: r.image ?? null,
    pushType: r.pushType ?? null,
    receivedAt: r.receivedAt,
    ...(r.retractedAt !== undefined ? { retracted: true } : {}),
  };
}

/** What a phone shows: notifications still there, not the retraction instructions its app acted on. */
const shown = (r: PushRecord) => !r.retraction && r.retractedAt === undefined;

/** A request body as JSON, else as form fields (Xiaomi, Meizu), else nothing. */
function parseBody(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return Object.fromEntries(new URLSearchParams(body));
  }
}

/**
 * The `pushId` value anywhere in a payload: a key `pushId` (or a form field ending in `.pushId`), also inside
 * JSON text values (Huawei `data`, OPPO `action_parameters`, Meizu `messageJson`...).
 */
function findPushId(value: unknown, depth = 0): string | undefined {
  if (depth > 8 || value === null || value === undefined) return undefined;
  if (typeof value === 'string') {
    const text = value.trim();
    if (!text.startsWith('{') && !text.startsWith('[')) return undefined;
    try {
      return findPushId(JSON.parse(text), depth + 1);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object') return undefined;
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  for (const [key, v] of entries) {
    if (
      (key === PUSH_ID_KEY || key.endsWith(`.${PUSH_ID_KEY}`)) &&
      typeof v === 'string' &&
      looksLikePushId(v)
    ) {
      return v;
    }
  }
  for (const [, v] of entries) {
    const found = findPushId(v, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** `LIKE` pattern text with the wildcards escaped by `!`. */
const likeLiteral = (s: string) => s.replace(/[!%_]/g, (c) => `!${c}`);

/** A Web Push binding holds the whole PushSubscription JSON; its endpoint ends with the device token. */
function boundWebPush(bindingToken: string, device: VirtualDevice): boolean {
  try {
    const endpoint = (JSON.parse(bindingToken) as { endpoint?: unknown }).endpoint;
    return typeof endpoint === 'string' && endpoint.endsWith(`/push/${device.token}`);
  } catch {
    return false;
  }
}

export class SandboxPhones {
  constructor(
    private readonly db: Kysely<Database>,
    readonly sim: Simulators,
  ) {}

  /** The app's phones: virtual devices bound to one of its instances, with their recent notifications. */
  async list(sdkAppId: number): Promise<PhoneView[]> {
    const owners = await this.owners(sdkAppId);
    const instances = await this.#instances(sdkAppId, [...owners.values()]);
    const phones: PhoneView[] = [];
    for (const d of this.sim.devices.list()) {
      const owner = owners.get(phoneId(d.vendor, d.token));
      if (!owner) continue;
      phones.push({
        id: phoneId(d.vendor, d.token),
        vendor: d.vendor,
        platform: platformOf(d.vendor),
        app: d.app,
        environment: d.environment ?? null,
        tokenSuffix: d.token.slice(-6),
        userId: owner.userId,
        instanceId: owner.instanceId,
        installed: d.installed,
        appState: appStateOf(instances.get(`${owner.userId}\u0000${owner.instanceId}`)),
        notifications: this.sim
          .received({ vendor: d.vendor, token: d.token })
          .filter(shown)
          .slice(-RECENT)
          .reverse()
          .map(notificationView),
      });
    }
    return phones.sort((a, b) => a.userId.localeCompare(b.userId) || a.vendor.localeCompare(b.vendor));
  }

  /** The phone of `sdkAppId` with this ID and who it belongs to; undefined when it is not one of the app's. */
  async find(sdkAppId: number, id: string): Promise<{ device: VirtualDevice; owner: Owner } | undefined> {
    const device = this.sim.devices.list().find((d) => phoneId(d.vendor, d.token) === id);
    if (!device) return undefined;
    const owner = (await this.owners(sdkAppId)).get(id);
    return owner ? { device, owner } : undefined;
  }

  /**
   * The PushID a notification of this phone carries where the app's SDK reads it (the hidden `pushId` key,
   * receipt-fields.ts), found in the request the phone received; undefined when the phone never showed
   * notification `seq` or it carries none.
   */
  pushIdOf(device: VirtualDevice, seq: number): string | undefined {
    const record = this.sim
      .received({ vendor: device.vendor, token: device.token })
      .find((r) => r.seq === seq);
    if (!record) return undefined;
    return findPushId(record.data) ?? findPushId(parseBody(record.raw.body));
  }

  async #instances(sdkAppId: number, owners: Owner[]) {
    const out = new Map<string, { state: string; background: boolean }>();
    const users = [...new Set(owners.map((o) => o.userId))];
    if (users.length === 0) return out;
    const rows = await this.db
      .selectFrom('instances')
      .select(['user_id', 'instance_id', 'state', 'background'])
      .where('sdkappid', '=', sdkAppId)
      .where('user_id', 'in', users)
      .execute();
    for (const r of rows) {
      out.set(`${r.user_id}\u0000${r.instance_id}`, {
        state: r.state,
        background: Number(r.background) === 1,
      });
    }
    return out;
  }

  /** Phone ID -> the user and instance of `sdkAppId` its token is bound to. */
  async owners(sdkAppId: number): Promise<Map<string, Owner>> {
    const devices = this.sim.devices.list();
    const out = new Map<string, Owner>();
    if (devices.length === 0) return out;
    const plain = [...new Set(devices.filter((d) => d.vendor !== 'webpush').map((d) => d.token))];
    const web = devices.filter((d) => d.vendor === 'webpush');
    const rows = await this.db
      .selectFrom('push_bindings')
      .select(['user_id', 'instance_id', 'token'])
      .where('sdkappid', '=', sdkAppId)
      .where((eb) =>
        eb.or([
          ...(plain.length ? [eb('token', 'in', plain)] : []),
          ...web.map((d) => sql<boolean>`token like ${`%/push/${likeLiteral(d.token)}"%`} escape '!'`),
        ]),
      )
      .execute();
    for (const d of devices) {
      const row = rows.find((r) => (d.vendor === 'webpush' ? boundWebPush(r.token, d) : r.token === d.token));
      if (row) out.set(phoneId(d.vendor, d.token), { userId: row.user_id, instanceId: row.instance_id });
    }
    return out;
  }

  /**
   * Calls `listener` with every notification a phone of `sdkAppId` shows from now on, until the returned
   * function is called. A phone bound after subscribing is found at its first notification.
   */
  subscribe(sdkAppId: number, listener: (n: PhoneNotification) => void, onError: (err: unknown) => void) {
    // A failed lookup is reported and counts as "no phones yet": the next notification looks again.
    const lookup = () =>
      this.owners(sdkAppId).catch((err: unknown) => {
        onError(err);
        return new Map<string, Owner>();
      });
    let owners = lookup();
    let refresh: Promise<Map<string, Owner>> | undefined;
    // Phones of other apps are never ours: look each one up again at most every few seconds.
    const strangers = new Map<string, number>();
    // Records are delivered in order: each waits for the previous one so the stream keeps that order.
    let chain = Promise.resolve();
    const unsubscribe = this.sim.subscribe((record) => {
      if (record.retraction) return;
      const id = phoneId(record.vendor, record.token);
      const view = notificationView(record);
      chain = chain
        .then(async () => {
          let known = await owners;
          if (!known.has(id) && Date.now() - (strangers.get(id) ?? 0) > RECHECK_MS) {
            // Coalesce: records that arrive during one lookup share it.
            refresh ??= lookup().finally(() => {
              refresh = undefined;
            });
            owners = refresh;
            known = await owners;
          }
          if (known.has(id)) listener(view);
          else strangers.set(id, Date.now());
        })
        .catch(onError);
    });
    return unsubscribe;
  }
}
