// `pushline demo`: sends a C2C message to every demo user and one message to the demo group through the
// v4 REST API, then watches the simulators' control API and prints each notification as the virtual
// phone received it. It talks to a running sandbox over HTTP only (no database access), so it works
// from another terminal while `npm start` runs.
import { randomInt } from 'node:crypto';
import { DEMO_GROUP, DEMO_SENDER } from './demo.js';
import type { SandboxDevice } from './state.js';

export interface DemoTarget {
  /** Server base URL, e.g. http://127.0.0.1:8080 */
  url: string;
  sdkAppId: number;
  adminIdentifier: string;
  adminUserSig: string;
  /** Simulator control API base URL. */
  simulatorControl: string;
  /** The demo phones (from sandbox.json); without them every new notification is printed. */
  devices: Pick<SandboxDevice, 'vendor' | 'userId' | 'token'>[];
}

/** What a virtual phone showed (a simulator record, the fields the demo prints). */
export interface ShownNotification {
  seq: number;
  vendor: string;
  token: string;
  title?: string;
  body?: string;
  badge?: number;
}

export interface DemoResult {
  sent: number;
  received: ShownNotification[];
  /** Notifications expected: one per phone for the C2C message and one per phone for the group message. */
  expected: number;
}

export interface RunDemoOptions {
  timeoutMs?: number;
  /** Where progress lines go (default stdout). */
  write?: (line: string) => void;
}

export async function runDemo(target: DemoTarget, opts: RunDemoOptions = {}): Promise<DemoResult> {
  const write = opts.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const control = target.simulatorControl.replace(/\/$/, '');
  const before = await getJson<ShownNotification[]>(`${control}/received`);
  const since = before.reduce((max, r) => Math.max(max, r.seq), 0);
  const owners = new Map(target.devices.map((d) => [d.token, d]));
  const users = [...new Set(target.devices.map((d) => d.userId))];

  let sent = 0;
  for (const user of users) {
    await v4(target, 'openim/sendmsg', {
      From_Account: DEMO_SENDER.userId,
      To_Account: user,
      MsgRandom: randomInt(2 ** 31),
      SyncOtherMachine: 2,
      MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `Hi ${user}, this is a C2C message` } }],
    });
    sent++;
    write(`sent C2C message ${DEMO_SENDER.userId} -> ${user}`);
  }
  await v4(target, 'group_open_http_svc/send_group_msg', {
    GroupId: DEMO_GROUP.groupId,
    From_Account: DEMO_SENDER.userId,
    Random: randomInt(2 ** 31),
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'Hello everyone, this is a group message' } }],
  });
  sent++;
  write(
    `sent group message ${DEMO_SENDER.userId} -> ${DEMO_GROUP.groupId} (${users.length} members with a phone)`,
  );
  write('');
  write(`waiting for the virtual phones (up to ${Math.round(timeoutMs / 1000)} s)...`);

  const expected = target.devices.length * 2;
  const received: ShownNotification[] = [];
  let last = since;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && (expected === 0 || received.length < expected)) {
    const fresh = await getJson<ShownNotification[]>(`${control}/received?since=${last}`);
    for (const r of fresh) {
      last = Math.max(last, r.seq);
      const owner = owners.get(r.token);
      if (target.devices.length > 0 && !owner) continue;
      received.push(r);
      write(formatNotification(r, owner?.userId));
    }
    if (fresh.length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
  }

  write('');
  if (received.length === 0) {
    write(
      `No notification arrived within ${Math.round(timeoutMs / 1000)} s. Is the push engine running? ` +
        'Check the server log, and the console troubleshooter ("why did this user get no push?").',
    );
  } else if (expected > 0 && received.length < expected) {
    write(
      `${received.length} of ${expected} notifications arrived within ${Math.round(timeoutMs / 1000)} s.`,
    );
  } else {
    write(`${received.length} notifications arrived.`);
  }
  return { sent, received, expected };
}

/** One line per notification: user, vendor, device (token prefix), title, body, badge. */
export function formatNotification(r: ShownNotification, userId?: string): string {
  const device = `${r.token.slice(0, 10)}…`;
  const title = r.title ? `[${r.title}] ` : '';
  const badge = typeof r.badge === 'number' ? `  (badge ${r.badge})` : '';
  return `  ${(userId ?? '?').padEnd(6)} ${r.vendor.padEnd(8)} ${device}  ${title}${r.body ?? ''}${badge}`;
}

async function getJson<T>(url: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (err) {
    throw new Error(
      `cannot reach the simulators at ${url} (is the sandbox running? \`npm start\`): ${String(err)}`,
    );
  }
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

async function v4(target: DemoTarget, path: string, body: unknown): Promise<Record<string, unknown>> {
  const q = new URLSearchParams({
    sdkappid: String(target.sdkAppId),
    identifier: target.adminIdentifier,
    usersig: target.adminUserSig,
    random: String(randomInt(2 ** 31)),
    contenttype: 'json',
  });
  const url = `${target.url.replace(/\/$/, '')}/v4/${path}?${q}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (err) {
    throw new Error(
      `cannot reach Pushline at ${target.url} (is the sandbox running? \`npm start\`): ${String(err)}`,
    );
  }
  const answer = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (answer.ActionStatus !== 'OK') {
    throw new Error(`${path} failed: ${answer.ErrorCode ?? res.status} ${answer.ErrorInfo ?? ''}`.trim());
  }
  return answer;
}
