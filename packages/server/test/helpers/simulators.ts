// Vendor simulators in-process, and the Pushline configuration that points at them.
import { type Simulators, type StartSimulatorsOptions, startSimulators } from '@pushline/simulator';

export async function startSims(opts: StartSimulatorsOptions = {}): Promise<Simulators> {
  return startSimulators({ host: '127.0.0.1', control: false, ...opts });
}

/** Config overrides for startTestServer({config}): every vendor URL plus the simulator CA. */
export function simConfig(sim: Simulators): Record<string, unknown> {
  const u = sim.urls;
  const entries: [string, string | undefined][] = [
    ['apnsProductionUrl', u.apnsProduction],
    ['apnsDevelopmentUrl', u.apnsDevelopment],
    ['fcmUrl', u.fcm],
    ['fcmOAuthUrl', u.fcmOAuth],
    ['huaweiUrl', u.huawei],
    ['huaweiOAuthUrl', u.huaweiOAuth],
    ['honorUrl', u.honor],
    ['honorOAuthUrl', u.honorOAuth],
    ['xiaomiUrl', u.xiaomi],
    ['oppoUrl', u.oppo],
    ['vivoUrl', u.vivo],
    ['meizuUrl', u.meizu],
  ];
  return { ...Object.fromEntries(entries.filter(([, v]) => v !== undefined)), caFile: sim.caFile };
}

/** Polls until `cond` holds (no fixed sleeps in tests). */
export async function waitUntil(
  cond: () => boolean | Promise<boolean>,
  what = 'condition',
  ms = 10_000,
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
