// `pushline cert ...`: add, list, show, rm, pause, resume and test push certificates.
import { readFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { type CertificateInput, CertificateInputError } from '../certificates/input.js';
import { CertificateNotFoundError } from '../certificates/service.js';
import {
  type CertificateDefaults,
  type CertificateInfo,
  type ClickAction,
  VENDORS,
} from '../certificates/types.js';
import { parseRateLimit } from '../push/dispatch/rate-limits.js';
import type { RateLimit } from '../push/dispatch/token-bucket.js';
import type { Pushline } from '../server.js';
import { describe, listLine, showText } from './cert-format.js';
import { type CommonOpts, parseIntStrict, withPushline, withStorageOptions } from './common.js';

/**
 * The flags of `cert add`: the certificate's own fields (CertificateInput), except that `p12`, `p8` and
 * `serviceAccount` are file paths here (inputFromFlags reads them), plus the notification defaults and the
 * rate limit.
 */
interface AddOpts extends CommonOpts, Omit<CertificateInput, 'p12' | 'defaults' | 'environment'> {
  app: number;
  json?: boolean;
  /** Path of the .p12 file. */
  p12?: string;
  passwordFile?: string;
  environment?: 'development' | 'production';
  channelId?: string;
  category?: string;
  importance?: 'LOW' | 'NORMAL' | 'HIGH';
  clickAction?: string;
  badgeClass?: string;
  displayName?: string;
  fcmMessageType?: 'notification' | 'data';
  rateLimit?: string;
}

export function registerCertCommands(program: Command): void {
  const cert = program.command('cert').description('manage push certificates (vendor credentials) of an app');

  withStorageOptions(
    cert.command('add').description('validate and add a push certificate; prints its ID (the businessID)'),
  )
    .requiredOption('-a, --app <sdkappid>', 'SDKAppID', parseIntStrict('--app'))
    .addOption(new Option('--vendor <vendor>', 'push vendor').choices([...VENDORS]).makeOptionMandatory())
    .option('--name <name>', 'a label for people')
    .option('--p12 <file>', 'APNs: the .p12 certificate file')
    .option('--password <password>', 'APNs: the .p12 password')
    .option(
      '--password-file <file>',
      'APNs: read the .p12 password from a file (keeps it out of shell history)',
    )
    .option('--p8 <file>', 'APNs: the .p8 token signing key file')
    .option('--key-id <id>', 'APNs: the .p8 key ID')
    .option('--team-id <id>', 'APNs: the team ID')
    .option('--bundle-id <id>', 'APNs: the app bundle ID')
    .addOption(new Option('--environment <env>', 'APNs: environment').choices(['development', 'production']))
    .option('--voip', 'APNs: a VoIP (PushKit) certificate')
    .option('--service-account <file>', 'FCM: the service-account JSON file')
    .option('--server-key <key>', 'FCM legacy server key (refused: the legacy API was shut down)')
    .option('--app-id <id>', 'Huawei, Honor, vivo, Meizu: the app ID')
    .option('--client-id <id>', 'Honor: the client ID')
    .option('--client-secret <secret>', 'Huawei, Honor: the client secret (Huawei: the app secret)')
    .option('--app-key <key>', 'OPPO, vivo: the AppKey')
    .option('--app-secret <secret>', 'Xiaomi, vivo, Meizu: the AppSecret')
    .option('--master-secret <secret>', 'OPPO: the MasterSecret')
    .option('--package-name <name>', 'Xiaomi (required), others: the Android package name')
    .option('--vapid-public-key <key>', 'Web Push: VAPID public key (base64url); generated if omitted')
    .option('--vapid-private-key <key>', 'Web Push: VAPID private key (base64url)')
    .option('--subject <subject>', 'Web Push: VAPID subject, mailto: or https: URL')
    .option('--channel-id <id>', 'default Android notification channel ID')
    .option('--category <category>', 'default vendor category/classification (e.g. IM)')
    .addOption(
      new Option('--importance <level>', 'default importance (Huawei, Honor)').choices([
        'LOW',
        'NORMAL',
        'HIGH',
      ]),
    )
    .option('--click-action <action>', 'what a tap does: app, url:<https://...> or page:<in-app page>', 'app')
    .option('--badge-class <class>', 'Huawei/Honor: launcher activity class for the badge')
    .option(
      '--display-name <name>',
      "title of notifications that have none and no sender or group to name (default: the app's)",
    )
    .addOption(
      new Option('--fcm-message-type <type>', 'FCM: notification or data messages').choices([
        'notification',
        'data',
      ]),
    )
    .option(
      '--rate-limit <rate>',
      'sends per second for this certificate, optionally /burst (e.g. 100 or 100/500); default: the vendor default of pushRateLimits',
    )
    .option('--json', 'print the certificate as JSON')
    .action(async (opts: AddOpts) => {
      const input = inputFromFlags(opts);
      await withPushline(opts, async (p) => {
        await requireApp(p, opts.app);
        const info = await run(() => p.certificateService.add(opts.app, input));
        if (opts.json) return print(JSON.stringify(info));
        print(`${info.id}`);
        process.stderr.write(
          `added ${describe(info)}\nclients report this certificate ID (businessID) with their device tokens: ${info.id}\n`,
        );
      });
    });

  withStorageOptions(cert.command('list').description('list the certificates of an app'))
    .requiredOption('-a, --app <sdkappid>', 'SDKAppID', parseIntStrict('--app'))
    .option('--json', 'print JSON')
    .action(async (opts: CommonOpts & { app: number; json?: boolean }) => {
      await withPushline(opts, async (p) => {
        await requireApp(p, opts.app);
        const list = await p.certificateService.list(opts.app);
        if (opts.json) return print(JSON.stringify(list));
        if (list.length === 0)
          return print(`no certificates yet: pushline cert add --app ${opts.app} --vendor ...`);
        for (const c of list) print(listLine(c));
      });
    });

  withCertId(withStorageOptions(cert.command('show').description('show one certificate (secrets masked)')))
    .option('--json', 'print JSON')
    .action(async (id: string | undefined, opts: CertOpts & { json?: boolean }) => {
      await withPushline(opts, async (p) => {
        const info = await findCertificate(p, id, opts);
        if (opts.json) return print(JSON.stringify(info));
        print(showText(info));
      });
    });

  withCertId(
    withStorageOptions(cert.command('rm').description('delete a certificate; its channel stops at once')),
  ).action(async (id: string | undefined, opts: CertOpts) => {
    await withPushline(opts, async (p) => {
      const info = await findCertificate(p, id, opts);
      await p.certificateService.remove(info.sdkAppId, info.id);
      print(`deleted certificate ${info.id}`);
    });
  });

  withCertId(
    withStorageOptions(
      cert
        .command('limit')
        .description(
          "set a certificate's send rate: <per second>[/<burst>], or 'default' for its vendor's pushRateLimits default",
        ),
    ),
  )
    .requiredOption('--rate <rate>', "e.g. 50, 50/200 or 'default'")
    .action(async (id: string | undefined, opts: CertOpts & { rate: string }) => {
      const rateLimit = opts.rate === 'default' ? undefined : rateFlag('--rate', opts.rate);
      await withPushline(opts, async (p) => {
        const info = await findCertificate(p, id, opts);
        const { rateLimit: _old, ...defaults } = info.defaults;
        await run(() =>
          p.certificateService.update(info.sdkAppId, info.id, {
            defaults: rateLimit ? { ...defaults, rateLimit } : defaults,
          }),
        );
        print(
          rateLimit
            ? `certificate ${info.id} sends at most ${rateLimit.perSecond}/s (burst ${rateLimit.burst ?? rateLimit.perSecond})`
            : `certificate ${info.id} sends at its vendor's default rate (pushRateLimits)`,
        );
      });
    });

  withCertId(
    withStorageOptions(
      cert
        .command('set')
        .description("change a certificate's settings in place (its credential and ID stay)"),
    ),
  )
    .requiredOption(
      '--display-name <name>',
      'title of notifications that have none and no sender or group to name; "" = the app\'s',
    )
    .action(async (id: string | undefined, opts: CertOpts & { displayName: string }) => {
      await withPushline(opts, async (p) => {
        const info = await findCertificate(p, id, opts);
        const { displayName: _old, ...defaults } = info.defaults;
        const name = opts.displayName.trim();
        const updated = await run(() =>
          p.certificateService.update(info.sdkAppId, info.id, {
            defaults: name ? { ...defaults, displayName: name } : defaults,
          }),
        );
        print(
          updated.defaults.displayName
            ? `certificate ${info.id}: notifications without a title show "${updated.defaults.displayName}"`
            : `certificate ${info.id}: notifications without a title show the app's display name`,
        );
      });
    });

  withCertId(withStorageOptions(cert.command('pause').description('stop sending with a certificate')))
    .option('--reason <text>', 'why (shown in lists and the console)')
    .option('--discard', 'drop its pushes until it is resumed, instead of holding them for the resume')
    .action(async (id: string | undefined, opts: CertOpts & { reason?: string; discard?: boolean }) => {
      await withPushline(opts, async (p) => {
        const info = await findCertificate(p, id, opts);
        const mode = opts.discard ? 'discard' : 'hold';
        await p.certificateService.pause(info.sdkAppId, info.id, opts.reason, mode);
        print(
          mode === 'discard'
            ? `paused certificate ${info.id}: its pushes are discarded until you resume it`
            : `paused certificate ${info.id}: its pushes are held until you resume it`,
        );
      });
    });

  withCertId(
    withStorageOptions(cert.command('resume').description('send with a paused certificate again')),
  ).action(async (id: string | undefined, opts: CertOpts) => {
    await withPushline(opts, async (p) => {
      const info = await findCertificate(p, id, opts);
      await p.certificateService.resume(info.sdkAppId, info.id);
      print(`resumed certificate ${info.id}`);
    });
  });

  withCertId(
    withStorageOptions(
      cert.command('test').description('send one test notification and print the vendor answer'),
    ),
  )
    .requiredOption('-t, --token <token>', 'a device token (Web Push: the PushSubscription JSON)')
    .option('--text <text>', 'notification text')
    .option('--json', 'print JSON')
    .action(
      async (id: string | undefined, opts: CertOpts & { token: string; text?: string; json?: boolean }) => {
        await withPushline(opts, async (p) => {
          const info = await findCertificate(p, id, opts);
          const { outcome } = await run(() =>
            p.certificateService.test(info.sdkAppId, info.id, opts.token, opts.text),
          );
          if (opts.json) print(JSON.stringify(outcome));
          else {
            const code = 'code' in outcome ? ` ${outcome.code}` : '';
            const vendorId =
              outcome.kind === 'sent' && outcome.vendorId ? ` (vendor message ID ${outcome.vendorId})` : '';
            const after =
              outcome.kind === 'retry' && outcome.afterMs !== undefined
                ? ` retry after ${outcome.afterMs} ms`
                : '';
            print(`${outcome.kind}${code}${vendorId}${after}`);
            if (outcome.detail) print(`vendor answered: ${outcome.detail}`);
          }
          if (outcome.kind !== 'sent') process.exitCode = 1;
        });
      },
    );
}

interface CertOpts extends CommonOpts {
  app?: number;
  cert?: number;
}

function withCertId(cmd: Command): Command {
  return cmd
    .argument('[id]', 'certificate ID')
    .option('--cert <id>', 'certificate ID', parseIntStrict('--cert'))
    .option('-a, --app <sdkappid>', 'SDKAppID (checked against the certificate)', parseIntStrict('--app'));
}

async function findCertificate(
  p: Pushline,
  arg: string | undefined,
  opts: CertOpts,
): Promise<CertificateInfo> {
  const id = opts.cert ?? (arg !== undefined ? parseIntStrict('certificate ID')(arg) : undefined);
  if (id === undefined) throw new Error('give the certificate ID: --cert <id>');
  const found = await p.certificates.getWithSecrets(id);
  if (!found || (opts.app !== undefined && found.info.sdkAppId !== opts.app)) {
    throw new Error(`no certificate ${id}${opts.app !== undefined ? ` in app ${opts.app}` : ''}`);
  }
  return found.info;
}

async function requireApp(p: Pushline, sdkAppId: number): Promise<void> {
  if (!(await p.apps.get(sdkAppId))) throw new Error(`no app with SDKAppID ${sdkAppId}`);
}

/** Runs a service call, turning validation errors into messages that name the flag at fault. */
async function run<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof CertificateInputError) throw new Error(`${flagOf(err.field)}: ${err.message}`);
    if (err instanceof CertificateNotFoundError) throw new Error(err.message);
    throw err;
  }
}

function flagOf(field: string): string {
  const name = field.replace(/^defaults\./, '').split('.')[0] ?? field;
  return `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function readFile(flag: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new Error(
      `${flag}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}

function inputFromFlags(o: AddOpts): CertificateInput {
  const defaults: CertificateDefaults = {
    ...(o.channelId ? { channelId: o.channelId } : {}),
    ...(o.category ? { category: o.category } : {}),
    ...(o.importance ? { importance: o.importance } : {}),
    ...(o.badgeClass ? { badgeClass: o.badgeClass } : {}),
    ...(o.displayName ? { displayName: o.displayName } : {}),
    ...(o.fcmMessageType ? { fcmMessageType: o.fcmMessageType } : {}),
    ...(o.rateLimit ? { rateLimit: rateFlag('--rate-limit', o.rateLimit) } : {}),
    clickAction: parseClickAction(o.clickAction ?? 'app'),
  };
  const input: CertificateInput = { vendor: o.vendor, defaults };
  const copy = [
    'name',
    'password',
    'keyId',
    'teamId',
    'bundleId',
    'environment',
    'serverKey',
    'appId',
    'clientId',
    'clientSecret',
    'appKey',
    'appSecret',
    'masterSecret',
    'packageName',
    'vapidPublicKey',
    'vapidPrivateKey',
    'subject',
  ] as const;
  for (const k of copy) if (o[k] !== undefined) (input as unknown as Record<string, unknown>)[k] = o[k];
  if (o.voip) input.voip = true;
  if (o.p12) input.p12 = readFile('--p12', o.p12);
  if (o.passwordFile)
    input.password = readFile('--password-file', o.passwordFile)
      .toString('utf8')
      .replace(/\r?\n$/, '');
  if (o.p8) input.p8 = readFile('--p8', o.p8).toString('utf8');
  if (o.serviceAccount)
    input.serviceAccount = readFile('--service-account', o.serviceAccount).toString('utf8');
  return input;
}

function parseClickAction(value: string): ClickAction {
  if (value === 'app') return { type: 'open_app' };
  if (value.startsWith('url:')) return { type: 'open_url', url: value.slice(4) };
  if (value.startsWith('page:')) return { type: 'open_page', page: value.slice(5) };
  throw new Error(`--click-action: use app, url:<https://...> or page:<in-app page>, not "${value}"`);
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

function rateFlag(flag: string, value: string): RateLimit {
  try {
    return parseRateLimit(value);
  } catch (err) {
    throw new Error(`${flag}: ${(err as Error).message}`);
  }
}
