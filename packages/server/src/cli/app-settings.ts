// `pushline app set <sdkappid>`: the app settings the gateway reads (webhook URL, multi-device login policy)
// and those of the callbacks (token, message callbacks and their time-out and failure policy).
import type { Command } from 'commander';
import { parseCustomTagList } from '../apps/profiles.js';
import {
  type AppSettings,
  callbackTokenSchema,
  DISPLAY_NAME_MAX,
  displayNameSchema,
  newCallbackToken,
  SWITCHABLE_CALLBACKS,
  type SwitchableCallback,
} from '../apps/settings.js';
import { type LoginPolicy, loginPolicyOf, loginPolicySchema } from '../devices/login-policy.js';
import { type CommonOpts, parseIntStrict, withPushline, withStorageOptions } from './common.js';

interface SetOpts extends CommonOpts {
  callbackUrl?: string;
  loginPolicy?: string;
  maxPerPlatform?: number;
  maxWeb?: number;
  displayName?: string;
  callbackToken?: string;
  newCallbackToken?: boolean;
  callbacks?: string;
  callbackTimeout?: number;
  callbackFailurePolicy?: string;
  profileCustomTags?: string;
  c2cFriendCheck?: string;
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
    .option('--callback-token <token>', 'callback authentication token (Sign = sha256(token + RequestTime))')
    .option('--new-callback-token', 'replace the callback token with a new random one')
    .option(
      '--callbacks <list>',
      `callbacks to switch on, comma-separated (${SWITCHABLE_CALLBACKS.join(', ')}); "" for none`,
    )
    .option(
      '--callback-timeout <ms>',
      'how long a before-send callback may take (100-30000 ms; default 2000)',
      parseIntStrict('--callback-timeout'),
    )
    .option(
      '--callback-failure-policy <policy>',
      'a before-send callback that times out or fails: allow (send) | refuse (error 80003)',
    )
    .option(
      '--profile-custom-tags <list>',
      'custom profile fields (Tag_Profile_Custom_<name>), comma-separated name[:string|integer], up to 20 names of 1-8 characters; "" for none',
    )
    .option(
      '--c2c-friend-check <on|off>',
      'only friends (both ways) may send each other one-to-one messages (else 20009/20010/20011); default off',
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
        let profileCustomTags: AppSettings['profileCustomTags'];
        if (opts.profileCustomTags !== undefined) {
          try {
            profileCustomTags = parseCustomTagList(opts.profileCustomTags);
          } catch (err) {
            const issue = (err as { issues?: { path: PropertyKey[]; message: string }[] }).issues?.[0];
            process.stderr.write(
              `invalid --profile-custom-tags: ${issue ? `${issue.path.join('.')} ${issue.message}` : String(err)}\n`,
            );
            process.exitCode = 1;
            return;
          }
        }
        if (opts.c2cFriendCheck !== undefined && !['on', 'off'].includes(opts.c2cFriendCheck)) {
          process.stderr.write(`invalid --c2c-friend-check "${opts.c2cFriendCheck}": give on or off\n`);
          process.exitCode = 1;
          return;
        }
        const callbacks = callbackPatch(opts);
        if (typeof callbacks === 'string') {
          process.stderr.write(`${callbacks}\n`);
          process.exitCode = 1;
          return;
        }
        const patch: Partial<AppSettings> & { loginPolicy: LoginPolicy } = {
          ...callbacks,
          loginPolicy: policy.data,
        };
        if (opts.callbackUrl !== undefined) patch.callbackUrl = opts.callbackUrl;
        if (opts.displayName !== undefined) patch.displayName = displayName.data;
        if (profileCustomTags !== undefined) patch.profileCustomTags = profileCustomTags;
        if (opts.c2cFriendCheck !== undefined) patch.c2cFriendCheck = opts.c2cFriendCheck === 'on';
        const settings = await p.apps.updateSettings(sdkAppId, patch);
        process.stdout.write(`${JSON.stringify(settings, null, 2)}\n`);
      });
    });
}

/** The callback settings the options change, or what is wrong with them. */
function callbackPatch(opts: SetOpts): Partial<AppSettings> | string {
  const patch: Partial<AppSettings> = {};
  if (opts.callbackToken !== undefined && opts.newCallbackToken) {
    return 'give --callback-token or --new-callback-token, not both';
  }
  if (opts.callbackToken !== undefined) {
    if (!callbackTokenSchema.safeParse(opts.callbackToken).success) {
      return 'invalid --callback-token: 1 to 128 characters';
    }
    patch.callbackToken = opts.callbackToken;
  }
  if (opts.newCallbackToken) patch.callbackToken = newCallbackToken();
  if (opts.callbacks !== undefined) {
    const list = opts.callbacks
      .split(',')
      .map((c) => c.trim())
      .filter((c) => c !== '');
    const unknown = list.filter((c) => !(SWITCHABLE_CALLBACKS as readonly string[]).includes(c));
    if (unknown.length > 0) {
      return `invalid --callbacks: ${unknown.join(', ')}; known: ${SWITCHABLE_CALLBACKS.join(', ')}`;
    }
    patch.callbackCommands = [...new Set(list)] as SwitchableCallback[];
  }
  if (opts.callbackTimeout !== undefined) {
    if (opts.callbackTimeout < 100 || opts.callbackTimeout > 30_000) {
      return 'invalid --callback-timeout: 100 to 30000 ms';
    }
    patch.callbackTimeoutMs = opts.callbackTimeout;
  }
  if (opts.callbackFailurePolicy !== undefined) {
    if (opts.callbackFailurePolicy !== 'allow' && opts.callbackFailurePolicy !== 'refuse') {
      return 'invalid --callback-failure-policy: allow or refuse';
    }
    patch.callbackFailurePolicy = opts.callbackFailurePolicy;
  }
  return patch;
}
