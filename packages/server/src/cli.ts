#!/usr/bin/env node
// The `pushline` command: serve, migrate, app, usersig, openapi.
import { Command, Option } from 'commander';
import { ADMIN_SIG_EXPIRE, genUserSig } from './auth/usersig.js';
import { consoleBannerLines, registerAdminCommands } from './cli/admin.js';
import { registerAppSettingsCommand } from './cli/app-settings.js';
import { registerCertCommands } from './cli/cert.js';
import {
  type CommonOpts,
  configFrom,
  parseIntStrict,
  withPushline,
  withStorageOptions,
} from './cli/common.js';
import { registerDemoCommand } from './cli/demo.js';
import { registerImportCommand } from './cli/import.js';
import { registerOpenApiCommand } from './cli/openapi.js';
import { registerQueueCommands } from './cli/queue.js';
import { configSchema } from './config.js';
import { receiptUrl } from './push/outcomes/receipt-token.js';
import { RECEIPT_VENDORS } from './push/outcomes/receipts.js';
import type { Sandbox } from './sandbox/start.js';
import { redactUrl } from './store/redis.js';

const program = new Command('pushline')
  .description('Pushline: self-hosted IM offline push server (Tencent Cloud IM v4 compatible)')
  .showHelpAfterError();

withStorageOptions(program.command('serve').description('run the server'))
  .option('-p, --port <port>', 'port to listen on (default 8080); also PUSHLINE_PORT')
  .option('--host <host>', 'address to listen on (default 0.0.0.0; sandbox 127.0.0.1); also PUSHLINE_HOST')
  .option('--sandbox', 'sandbox mode: demo app and demo data (what `npm start` runs); also PUSHLINE_SANDBOX')
  // The levels PUSHLINE_LOG_LEVEL and the config file accept: one list, in config.ts.
  .addOption(
    new Option('--log-level <level>', 'log level (default info); also PUSHLINE_LOG_LEVEL').choices(
      configSchema.shape.logLevel.options,
    ),
  )
  .option(
    '--workers <n>',
    'threads: 1, N (N - 1 send workers + the main thread) or auto (default: the cores); also PUSHLINE_WORKERS',
  )
  .action(
    async (
      opts: CommonOpts & {
        port?: string;
        host?: string;
        sandbox?: boolean;
        logLevel?: string;
        workers?: string;
      },
    ) => {
      const config = configFrom(opts, {
        port: opts.port,
        host: opts.host,
        sandbox: opts.sandbox,
        logLevel: opts.logLevel,
        workers: opts.workers,
      });
      // Loaded now, not at the top: the server is most of the CLI's start-up time (cli/common.ts).
      const [{ startSandbox }, { createPushline }] = await Promise.all([
        import('./sandbox/start.js'),
        import('./server.js'),
      ]);
      // Sandbox: the simulators start first and the server listens inside startSandbox.
      const sandbox = config.sandbox ? await startSandbox(config) : undefined;
      const pushline = sandbox?.pushline ?? (await createPushline(config));
      let stopping = false;
      // A stop: no new connections, requests and push batches in flight finished, the node's leases given
      // back, the database closed, exit 0 — within shutdownTimeout, else exit 1 (what is still leased is taken
      // back by the restart or the other nodes, docs/delivery.md).
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        pushline.log.info({ signal }, 'shutting down');
        setTimeout(() => {
          pushline.log.error(
            { shutdownTimeout: config.shutdownTimeout },
            'shutting down took longer than shutdownTimeout: exiting now',
          );
          process.exit(1);
        }, config.shutdownTimeout * 1000);
        try {
          await (sandbox ? sandbox.close() : pushline.close());
          process.exit(0);
        } catch (err) {
          pushline.log.error({ err }, 'error during shutdown');
          process.exit(1);
        }
      };
      process.on('SIGTERM', () => void stop('SIGTERM'));
      process.on('SIGINT', () => void stop('SIGINT'));
      watchNpx(stop);
      const url = sandbox?.url ?? (await pushline.listen());
      pushline.log.info(
        {
          url,
          db: pushline.dbKind,
          pushQueue: pushline.pushQueue.kind,
          ...(config.redis ? { redis: redactUrl(config.redis) } : {}),
        },
        'pushline listening',
      );
      const firstAdmin = await pushline.consoleUsers.ensureFirstAdmin();
      if (sandbox) printSandboxBanner(sandbox, firstAdmin);
      else
        process.stdout.write(`\nPushline is running\n${consoleBannerLines(url, firstAdmin).join('\n')}\n\n`);
    },
  );

/**
 * `npx pushline serve` runs the server under npm and a shell. Stopping npx with SIGTERM ends both without
 * passing the signal on, which would leave the server running on its own; so under npx the server stops
 * when its parent goes away. Process managers should run `node_modules/.bin/pushline serve` (or `npm start`,
 * whose script execs the server) so that their signal reaches the server itself (docs/deployment.md).
 */
function watchNpx(stop: (signal: string) => Promise<void>): void {
  if (process.env.npm_command !== 'exec') return;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      void stop('npx exited');
    }
  }, 250);
  timer.unref();
}

function printSandboxBanner(
  sandbox: Sandbox,
  firstAdmin: { username: string; password: string } | undefined,
): void {
  const { pushline, url, demo, adminUserSig: sig } = sandbox;
  const { app } = demo;
  const lines = [
    '',
    `Pushline sandbox is running at ${url}`,
    `  data:            ${pushline.config.dataDir} (${pushline.dbKind}: ${pushline.dbLocation})`,
    `  demo app:        ${app.name}`,
    `  SDKAppID:        ${app.sdkAppId}`,
    `  admin:           ${app.adminIdentifier}`,
    `  admin UserSig:   ${sig}`,
    ...consoleBannerLines(url, firstAdmin),
    `  client gateway:  ${url.replace(/^http/, 'ws')}${pushline.gateway.options.path} (@pushline/sdk, docs/sdk.md)`,
    `  simulators:      ${sandbox.simulators.sim.control} (control API; GET /received, SSE /events)`,
    `  virtual phones:  ${demo.devices.map((d) => `${d.userId}/${d.vendor}`).join(', ')} (in the background)`,
    `  watch them:      ${url}/console/apps/${app.sdkAppId}/phones`,
    '',
    'Run `npm run demo` (or `pushline demo`) in another terminal to send messages and watch the phones.',
    '',
    'Try the Tencent-compatible REST API:',
    `  curl -s -X POST '${url}/v4/openim/sendmsg?sdkappid=${app.sdkAppId}&identifier=${app.adminIdentifier}&usersig=${sig}&random=1&contenttype=json' -d '{"From_Account":"sam","To_Account":"alice","MsgRandom":1,"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"hi"}}]}'`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

withStorageOptions(program.command('migrate').description('create or upgrade the database schema')).action(
  async (opts: CommonOpts) => {
    await withPushline(opts, async (p) => {
      process.stdout.write(`database is up to date (${p.dbKind}: ${p.dbLocation})\n`);
    });
  },
);

const appCmd = program.command('app').description('manage apps (tenants)');

withStorageOptions(appCmd.command('create').description('create an app and print its credentials'))
  .requiredOption('-n, --name <name>', 'app name')
  .option('--admin <identifier>', 'admin identifier for the REST API', 'administrator')
  .option('--sdkappid <id>', 'use this SDKAppID instead of a generated one', parseIntStrict('--sdkappid'))
  .option('--json', 'print JSON')
  .action(async (opts: CommonOpts & { name: string; admin: string; sdkappid?: number; json?: boolean }) => {
    await withPushline(opts, async (p) => {
      const app = await p.apps.create({
        name: opts.name,
        adminIdentifier: opts.admin,
        sdkAppId: opts.sdkappid,
      });
      const userSig = genUserSig({
        sdkAppId: app.sdkAppId,
        key: app.secretKey,
        identifier: app.adminIdentifier,
        expire: ADMIN_SIG_EXPIRE,
      });
      if (opts.json) {
        const out = {
          sdkAppId: app.sdkAppId,
          name: app.name,
          secretKey: app.secretKey,
          adminIdentifier: app.adminIdentifier,
          adminUserSig: userSig,
        };
        process.stdout.write(`${JSON.stringify(out)}\n`);
        return;
      }
      process.stdout.write(
        [
          `SDKAppID:       ${app.sdkAppId}`,
          `name:           ${app.name}`,
          `secret key:     ${app.secretKey}`,
          `admin:          ${app.adminIdentifier}`,
          `admin UserSig:  ${userSig}`,
          '(the UserSig is valid for 180 days; `pushline usersig` makes new ones)',
          '',
        ].join('\n'),
      );
    });
  });

withStorageOptions(appCmd.command('list').description('list apps'))
  .option('--json', 'print JSON')
  .action(async (opts: CommonOpts & { json?: boolean }) => {
    await withPushline(opts, async (p) => {
      const apps = await p.apps.list();
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(apps)}\n`);
        return;
      }
      if (apps.length === 0) process.stdout.write('no apps yet: pushline app create --name <name>\n');
      for (const a of apps) {
        process.stdout.write(
          `${a.sdkAppId}\t${a.name}\tadmin=${a.adminIdentifier}\tcreated=${new Date(a.createdAt).toISOString()}\n`,
        );
      }
    });
  });

withStorageOptions(appCmd.command('delete').description('delete an app and all its data'))
  .argument('<sdkappid>', 'SDKAppID', parseIntStrict('SDKAppID'))
  .action(async (sdkAppId: number, opts: CommonOpts) => {
    await withPushline(opts, async (p) => {
      if (!(await p.apps.delete(sdkAppId))) {
        process.stderr.write(`no app with SDKAppID ${sdkAppId}\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(`deleted app ${sdkAppId}\n`);
    });
  });

registerAppSettingsCommand(appCmd);
withStorageOptions(
  appCmd
    .command('receipt-urls')
    .description(
      'print the receipt (callback) URL to enter in each vendor console for push delivery receipts',
    ),
)
  .argument('<sdkappid>', 'SDKAppID', parseIntStrict('SDKAppID'))
  .option(
    '--base-url <url>',
    'the public URL vendors reach this server at (default: publicUrl, PUSHLINE_PUBLIC_URL)',
  )
  .action(async (sdkAppId: number, opts: CommonOpts & { baseUrl?: string }) => {
    await withPushline(opts, async (p) => {
      const baseUrl = opts.baseUrl ?? p.config.publicUrl;
      if (!baseUrl) {
        process.stderr.write('give --base-url or set publicUrl (PUSHLINE_PUBLIC_URL)\n');
        process.exitCode = 1;
        return;
      }
      const app = await p.apps.get(sdkAppId);
      if (!app) {
        process.stderr.write(`no app with SDKAppID ${sdkAppId}\n`);
        process.exitCode = 1;
        return;
      }
      for (const vendor of RECEIPT_VENDORS) {
        process.stdout.write(`${vendor}\t${receiptUrl(baseUrl, app.secretKey, sdkAppId, vendor)}\n`);
      }
    });
  });

withStorageOptions(program.command('usersig').description('print a UserSig for a user of an app'))
  .requiredOption('-a, --app <sdkappid>', 'SDKAppID', parseIntStrict('--app'))
  .requiredOption('-u, --user <userId>', 'user identifier')
  .option('-e, --expire <seconds>', 'lifetime in seconds', parseIntStrict('--expire'), ADMIN_SIG_EXPIRE)
  .action(async (opts: CommonOpts & { app: number; user: string; expire: number }) => {
    await withPushline(opts, async (p) => {
      const app = await p.apps.get(opts.app);
      if (!app) {
        process.stderr.write(`no app with SDKAppID ${opts.app}\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(
        `${genUserSig({ sdkAppId: app.sdkAppId, key: app.secretKey, identifier: opts.user, expire: opts.expire })}\n`,
      );
    });
  });

registerAdminCommands(program);
registerQueueCommands(program);
registerCertCommands(program);
registerDemoCommand(program);
registerImportCommand(program);
registerOpenApiCommand(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`pushline: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
