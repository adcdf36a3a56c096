// `pushline demo` (`npm run demo`): drives a running sandbox. Where the server and the simulators are comes
// from `<data>/sandbox.json`, written by `pushline serve --sandbox` at every start; flags override it.
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import { runDemo } from '../sandbox/demo-run.js';
import { readSandboxState, sandboxFile } from '../sandbox/state.js';
import { parseIntStrict } from './common.js';

interface DemoOpts {
  config?: string;
  data?: string;
  url?: string;
  sdkappid?: number;
  admin?: string;
  usersig?: string;
  simulators?: string;
  timeout: number;
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('send demo messages to the sandbox and print what each virtual phone shows')
    .option('-c, --config <file>', 'config file (JSON or YAML); also PUSHLINE_CONFIG')
    .option('-d, --data <dir>', 'data directory of the sandbox (default ./data); also PUSHLINE_DATA')
    .option('--url <url>', 'Pushline base URL (default: from <data>/sandbox.json)')
    .option('--sdkappid <id>', 'SDKAppID (default: the demo app)', parseIntStrict('--sdkappid'))
    .option('--admin <identifier>', 'admin identifier (default: the demo app admin)')
    .option('--usersig <sig>', 'admin UserSig (default: from <data>/sandbox.json)')
    .option('--simulators <url>', 'simulator control API URL (default: from <data>/sandbox.json)')
    .option('-t, --timeout <seconds>', 'how long to wait for notifications', parseIntStrict('--timeout'), 15)
    .action(async (opts: DemoOpts) => {
      const config = loadConfig({ configFile: opts.config, flags: { dataDir: opts.data } });
      const state = readSandboxState(config.dataDir);
      const server = state.server;
      const url = opts.url ?? server?.url;
      const simulatorControl = opts.simulators ?? server?.simulatorControl;
      const adminUserSig = opts.usersig ?? server?.adminUserSig;
      if (!url || !simulatorControl || !adminUserSig) {
        throw new Error(
          `no running sandbox found in ${sandboxFile(config.dataDir)}: start one with \`npm start\` ` +
            '(or pass --url, --usersig and --simulators)',
        );
      }
      const result = await runDemo(
        {
          url,
          sdkAppId: opts.sdkappid ?? server?.sdkAppId ?? 1_400_000_000,
          adminIdentifier: opts.admin ?? server?.adminIdentifier ?? 'administrator',
          adminUserSig,
          simulatorControl,
          devices: state.devices ?? [],
        },
        { timeoutMs: opts.timeout * 1000 },
      );
      if (result.received.length === 0 || result.received.length < result.expected) process.exitCode = 1;
    });
}
