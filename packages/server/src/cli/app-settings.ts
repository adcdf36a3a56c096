// `pushline app set <sdkappid>`: the app settings the gateway reads (webhook URL, multi-device login policy).
import type { Command } from 'commander';
import { DISPLAY_NAME_MAX, displayNameSchema } from '../apps/settings.js';
import { type LoginPolicy, loginPolicyOf, loginPolicySchema } from '../gateway/login-policy.js';
import { type CommonOpts, parseIntStrict, withPushline, withStorageOptions } from './common.js';

interface SetOpts extends CommonOpts {
  callbackUrl?: string;
  loginPolicy?: string;
  maxPerPlatform?: number;
  maxWeb?: number;
  displayName?: string;
}

export function registerAppSettingsCommand(appCmd: Command): void {
  withStorageOptions(
    appCmd.command('set').description('change app settings: webhook URL, login policy, display name'),
  )
    .argument('<sdkappid>', 'SDKAppID', parseIntStrict('SDKAppID'))
    .option('--callback-url <url>', 'where webhooks (State.StateChange, ...) are POSTed; "" for none')
    .option('--login-policy <mode>', 'multi-device login: single | per-platform | multi')
    .option('--max-per-platform <n>', 'multi: instances per platform', parseIntStrict('--max-per-platform'))
    .option('--max-web <n>', 'Web instances per user, in every mode', parseIntStrict('--max-web'))
    .option(
      '--display-name <name>',
      'title of notifications that have none and no sender or group to name; "" = the app name',
    )
    .action(async (sdkAppId: number, opts: SetOpts) => {
      await withPushline(opts, async (p) => {
        const app = await p.apps.get(sdkAppId);
        if (!app) {
          process.stderr.write(`no app with SDKAppID ${sdkAppId}\n`);
          process.exitCode = 1;
          return;
        }
        const policy = loginPolicySchema.safeParse({
          ...loginPolicyOf(app.settings),
          ...(opts.loginPolicy !== undefined ? { mode: opts.loginPolicy } : {}),
          ...(opts.maxPerPlatform !== undefined ? { maxPerPlatform: opts.maxPerPlatform } : {}),
          ...(opts.maxWeb !== undefined ? { maxWeb: opts.maxWeb } : {}),
        });
        if (!policy.success) {
          const issue = policy.error.issues[0];
          process.stderr.write(`invalid login policy ${issue?.path.join('.')}: ${issue?.message}\n`);
          process.exitCode = 1;
          return;
        }
        if (opts.callbackUrl !== undefined && opts.callbackUrl !== '' && !URL.canParse(opts.callbackUrl)) {
          process.stderr.write(`invalid --callback-url "${opts.callbackUrl}": give an http(s) URL or ""\n`);
          process.exitCode = 1;
          return;
        }
        const displayName = displayNameSchema.safeParse(opts.displayName);
        if (!displayName.success) {
          process.stderr.write(`invalid --display-name: at most ${DISPLAY_NAME_MAX} characters\n`);
          process.exitCode = 1;
          return;
        }
        const patch: { callbackUrl?: string; loginPolicy: LoginPolicy; displayName?: string } = {
          loginPolicy: policy.data,
        };
        if (opts.callbackUrl !== undefined) patch.callbackUrl = opts.callbackUrl;
        if (opts.displayName !== undefined) patch.displayName = displayName.data;
        const settings = await p.apps.updateSettings(sdkAppId, patch);
        process.stdout.write(`${JSON.stringify(settings, null, 2)}\n`);
      });
    });
}
