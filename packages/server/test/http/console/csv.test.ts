// The console's CSV exports over real HTTP on SQLite and PostgreSQL: every push record matching the page's
// filters (more than one export page, not just what is on screen), the statistics of a range, the same
// session and app access as the JSON routes, and no device token in the file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvCell } from '../../../src/http/console/csv.js';
import { waitFor } from '../../helpers/clients.js';
import { ConsoleClient } from '../../helpers/console.js';
import { testBackends } from '../../helpers/databases.js';
import { backgroundPhone, type PushWorld, random, startPushWorld, text } from '../../helpers/push-e2e.js';

const backends = await testBackends();
const PASSWORD = 'operator-password-1';
/** More receivers than one export page (100 records) holds. */
const CROWD = 130;

/** A CSV file as rows of cells (the exports quote cells with commas, quotes or line breaks). */
function parseCsv(body: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const input = body.replace(/^\uFEFF/, '');
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && input[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe.each(backends)('console CSV exports on %s', (backend) => {
  let w: PushWorld;
  let admin: ConsoleClient;
  let base: string;
  let tokens: string[];

  beforeAll(async () => {
    w = await startPushWorld(backend);
    base = `/api/console/apps/${w.s.app.sdkAppId}`;
    const crowd = Array.from({ length: CROWD }, (_, i) => ({ userId: `u${String(i).padStart(3, '0')}` }));
    await w.s.pushline.accounts.import(w.s.app.sdkAppId, [{ userId: 'news' }, { userId: 'dora' }, ...crowd]);
    await w.s.pushline.consoleUsers.create({ username: 'operator', password: PASSWORD, role: 'admin' });
    admin = new ConsoleClient(w.s.url);
    expect((await admin.login('operator', PASSWORD)).status).toBe(200);
    const dora = await backgroundPhone(w, 'dora', 'apns');
    tokens = [dora.token];
    for (const words of ['one, "quoted"', 'two']) {
      const r = await w.s.v4('openim/sendmsg', {
        From_Account: 'news',
        To_Account: 'dora',
        MsgRandom: random(),
        MsgBody: text(words),
      });
      expect(r).toMatchObject({ ErrorCode: 0 });
    }
    // The crowd has no devices: one skipped record each.
    const batch = await w.s.v4('openim/batchsendmsg', {
      From_Account: 'news',
      To_Account: crowd.map((c) => c.userId),
      MsgRandom: random(),
      MsgBody: text('to everyone'),
    });
    expect(batch).toMatchObject({ ErrorCode: 0 });
    await waitFor(async () => {
      const sent = await admin.get(`${base}/push-records?outcome=sent&limit=100`);
      const skipped = await admin.get(`${base}/push-records?outcome=skipped&limit=100`);
      return sent.body.records?.length === 2 && skipped.body.records?.length === 100;
    }, 'the records of all pushes');
  }, 60_000);
  afterAll(async () => {
    await w?.close();
  });

  /** Every record the JSON API pages through for `query`. */
  async function jsonRecords(
    query: string,
  ): Promise<{ pushId: string; outcome: string; vendor: string | null }[]> {
    const out = [];
    let before: string | undefined;
    do {
      const q = new URLSearchParams(query);
      q.set('limit', '100');
      if (before) q.set('before', before);
      const res = await admin.get(`${base}/push-records?${q}`);
      out.push(...res.body.records);
      before = res.body.next;
    } while (before);
    return out;
  }

  it('exports every matching record, beyond one page, with the filters of the records page', async () => {
    const res = await admin.get(`${base}/push-records.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="push-records-${w.s.app.sdkAppId}.csv"`,
    );
    const [header, ...rows] = parseCsv(res.body as string);
    expect(header).toEqual([
      'push_id',
      'created_at_utc',
      'kind',
      'to_user',
      'from_user',
      'group_id',
      'msg_key',
      'task_id',
      'instance_id',
      'vendor',
      'certificate_id',
      'outcome',
      'code',
    ]);
    const all = await jsonRecords('');
    expect(all.length).toBe(CROWD + 2);
    expect(rows.map((r) => r[0])).toEqual(all.map((r) => r.pushId));
    expect(rows.every((r) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(r[1]!))).toBe(true);

    const sent = parseCsv(
      (await admin.get(`${base}/push-records.csv?outcome=sent&vendor=apns`)).body as string,
    );
    expect(sent.slice(1).map((r) => [r[3], r[9], r[11]])).toEqual([
      ['dora', 'apns', 'sent'],
      ['dora', 'apns', 'sent'],
    ]);
    const one = parseCsv((await admin.get(`${base}/push-records.csv?search=u007`)).body as string);
    expect(one.slice(1).map((r) => [r[3], r[11]])).toEqual([['u007', 'skipped']]);
    // A range that ended before the pushes: nothing but the header.
    expect(parseCsv((await admin.get(`${base}/push-records.csv?to=1`)).body as string)).toHaveLength(1);
    // Device tokens never leave the server.
    for (const token of tokens) expect(res.body as string).not.toContain(token);
  });

  it('exports the statistics of a range as the statistics page shows them', async () => {
    const to = Date.now() + 1000;
    const from = to - 3_600_000;
    const json = await admin.get(`${base}/statistics?from=${from}&to=${to}`);
    const res = await admin.get(`${base}/statistics.csv?from=${from}&to=${to}`);
    expect(res.status).toBe(200);
    const rows = parseCsv(res.body as string);
    expect(rows[0]).toEqual(['from_utc', new Date(from).toISOString(), 'to_utc', new Date(to).toISOString()]);
    const f = json.body.funnel;
    expect(rows.find((r) => r[0] === 'all')).toEqual(
      ['all', '', '', f.total, f.sent, f.delivered, f.clicked, f.failed].map(String),
    );
    expect(f.sent).toBe(2);
    for (const v of json.body.vendors as { vendor: string; total: number }[]) {
      expect(rows.find((r) => r[0] === 'vendor' && r[1] === v.vendor)?.[3]).toBe(String(v.total));
    }
    expect((await admin.get(`${base}/statistics.csv?from=${to}&to=${from}`)).status).toBe(400);
    expect((await admin.get(`${base}/push-records.csv?vendor=nokia`)).status).toBe(400);
  });

  it('needs a session and access to the app, like the pages', async () => {
    const anonymous = new ConsoleClient(w.s.url);
    expect((await anonymous.get(`${base}/push-records.csv`)).status).toBe(401);
    expect((await anonymous.get(`${base}/statistics.csv`)).status).toBe(401);
    await w.s.pushline.consoleUsers.create({ username: 'outsider', password: PASSWORD, role: 'member' });
    const outsider = new ConsoleClient(w.s.url);
    expect((await outsider.login('outsider', PASSWORD)).status).toBe(200);
    // As for the JSON routes: an app the user may not see is not there (404).
    expect((await outsider.get(`${base}/push-records`)).status).toBe(404);
    expect((await outsider.get(`${base}/push-records.csv`)).status).toBe(404);
    expect((await outsider.get(`${base}/statistics.csv`)).status).toBe(404);
    // Another app's export has none of this app's records.
    const other = await w.s.pushline.apps.create({ name: 'Other' });
    const theirs = parseCsv(
      (await admin.get(`/api/console/apps/${other.sdkAppId}/push-records.csv`)).body as string,
    );
    expect(theirs).toHaveLength(1);
  });

  it('quotes cells and makes formulas inert', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-1+2')).toBe("'-1+2");
    expect(csvCell(null)).toBe('');
    expect(csvCell(7)).toBe('7');
  });
});
