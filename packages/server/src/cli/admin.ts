// `pushline admin ...`: console users (create, list, reset-password, delete), and the first-admin notice
// that `pushline serve` prints on a fresh installation.
import { type Command, Option } from 'commander';
import { CONSOLE_ROLES, type ConsoleRole, ConsoleUserError } from '../auth/console-users.js';
import { type CommonOpts, parseIntStrict, withPushline, withStorageOptions } from './common.js';

function collectInts(name: string) {
  const parse = parseIntStrict(name);
  return (value: string, previous: number[] = []) => [...previous, parse(value)];
}

/** Runs a user-management action; a ConsoleUserError becomes a one-line message and exit code 1. */
async function userAction(run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (err) {
    if (!(err instanceof ConsoleUserError)) throw err;
    process.stderr.write(`pushline: ${err.message}\n`);
    process.exitCode = 1;
  }
}

export function registerAdminCommands(program: Command): void {
  const admin = program.command('admin').description('manage console users (who may sign in to /console)');

  withStorageOptions(admin.command('create').description('create a console user and print the password'))
    .requiredOption('-u, --username <name>', 'user name (letters, digits, . _ @ -)')
    .option(
      '--password <password>',
      'password (at least 10 characters and hard to guess: several unrelated words); generated when omitted',
    )
    .addOption(
      new Option('--role <role>', 'admin: every app, may create and delete apps; member: only granted apps')
        .choices([...CONSOLE_ROLES])
        .default('member'),
    )
    .option('--app <sdkappid>', 'grant a member access to this app (repeatable)', collectInts('--app'), [])
    .action(
      async (
        opts: CommonOpts & { username: string; password?: string; role: ConsoleRole; app: number[] },
      ) => {
        await withPushline(opts, (p) =>
          userAction(async () => {
            const { user, password } = await p.consoleUsers.create({
              username: opts.username,
              password: opts.password,
              role: opts.role,
              apps: opts.app,
            });
            const lines = [`created console user "${user.username}" (${user.role})`];
            if (user.role === 'member') lines.push(`apps:     ${user.apps.join(', ') || '(none yet)'}`);
            if (!opts.password) lines.push(`password: ${password}`, '(shown only now; store it safely)');
            process.stdout.write(`${lines.join('\n')}\n`);
          }),
        );
      },
    );

  withStorageOptions(admin.command('list').description('list console users'))
    .option('--json', 'print JSON')
    .action(async (opts: CommonOpts & { json?: boolean }) => {
      await withPushline(opts, async (p) => {
        const users = await p.consoleUsers.list();
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(users)}\n`);
          return;
        }
        if (users.length === 0)
          process.stdout.write('no console users yet: pushline admin create --username <name>\n');
        for (const u of users) {
          const apps = u.role === 'admin' ? 'all apps' : `apps=${u.apps.join(',') || '-'}`;
          const last = u.lastLoginAt ? new Date(u.lastLoginAt).toISOString() : 'never';
          process.stdout.write(`${u.username}\t${u.role}\t${apps}\tlast-login=${last}\n`);
        }
      });
    });

  withStorageOptions(
    admin
      .command('reset-password')
      .description('set a new password (generated when omitted) and sign the user out everywhere'),
  )
    .requiredOption('-u, --username <name>', 'user name')
    .option(
      '--password <password>',
      'the new password (at least 10 characters and hard to guess); generated when omitted',
    )
    .action(async (opts: CommonOpts & { username: string; password?: string }) => {
      await withPushline(opts, (p) =>
        userAction(async () => {
          const password = await p.consoleUsers.resetPassword(opts.username, opts.password);
          const lines = [`password of "${opts.username.trim().toLowerCase()}" changed; their sessions ended`];
          if (!opts.password) lines.push(`password: ${password}`);
          process.stdout.write(`${lines.join('\n')}\n`);
        }),
      );
    });

  for (const verb of ['grant', 'revoke'] as const) {
    withStorageOptions(
      admin
        .command(verb)
        .description(
          verb === 'grant' ? 'give a member access to apps' : "take a member's access to apps away",
        ),
    )
      .requiredOption('-u, --username <name>', 'user name')
      .requiredOption('--app <sdkappid>', 'SDKAppID (repeatable)', collectInts('--app'), [])
      .action(async (opts: CommonOpts & { username: string; app: number[] }) => {
        await withPushline(opts, (p) =>
          userAction(async () => {
            const apps =
              verb === 'grant'
                ? await p.consoleUsers.grantApps(opts.username, opts.app)
                : await p.consoleUsers.revokeApps(opts.username, opts.app);
            process.stdout.write(
              `apps of "${opts.username.trim().toLowerCase()}": ${apps.join(', ') || '(none)'}\n`,
            );
          }),
        );
      });
  }

  withStorageOptions(admin.command('delete').description('delete a console user'))
    .requiredOption('-u, --username <name>', 'user name')
    .action(async (opts: CommonOpts & { username: string }) => {
      await withPushline(opts, async (p) => {
        if (!(await p.consoleUsers.delete(opts.username))) {
          process.stderr.write(`pushline: no console user named "${opts.username}"\n`);
          process.exitCode = 1;
          return;
        }
        process.stdout.write(`deleted console user "${opts.username.trim().toLowerCase()}"\n`);
      });
    });
}

/**
 * Lines for stdout (never the JSON log) naming the console URL and, on the first start only, the first
 * admin's generated credentials.
 */
export function consoleBannerLines(
  url: string,
  firstAdmin: { username: string; password: string } | undefined,
) {
  const consoleUrl = `${url.replace(/\/$/, '')}/console/`;
  if (!firstAdmin) return [`  console:         ${consoleUrl}`];
  return [
    `  console:         ${consoleUrl}`,
    `  console login:   ${firstAdmin.username} / ${firstAdmin.password}`,
    '                   (first start: this password is shown only now; change it with',
    `                   \`pushline admin reset-password --username ${firstAdmin.username}\`)`,
  ];
}
