// `pushline queue ...`: look at the push queue and recover dead letters from the command line.
import type { Command } from 'commander';
import type { DeadFilter, DeadJob } from '../push/queue/types.js';
import { type CommonOpts, parseIntStrict, withPushline, withStorageOptions } from './common.js';

interface AppOpts extends CommonOpts {
  app: number;
  certificate?: number;
  json?: boolean;
}

function filterOf(opts: AppOpts): DeadFilter {
  return opts.certificate === undefined
    ? { sdkAppId: opts.app }
    : { sdkAppId: opts.app, certificateId: opts.certificate };
}

/** What the CLI shows of a dead letter: never the device token. */
function summary(job: DeadJob) {
  return {
    id: job.id,
    pushId: job.task.pushId,
    certificateId: job.task.certificateId,
    vendor: job.task.request.vendor,
    attempts: job.attempts,
    createdAt: new Date(job.createdAt).toISOString(),
    deadAt: new Date(job.deadAt).toISOString(),
    lastError: job.lastError,
    lastAnswer: job.lastAnswer,
  };
}

function appCommand(parent: Command, name: string, description: string): Command {
  return withStorageOptions(parent.command(name).description(description))
    .requiredOption('-a, --app <sdkappid>', 'SDKAppID', parseIntStrict('--app'))
    .option('--certificate <id>', 'only this push certificate', parseIntStrict('--certificate'));
}

/** Picks the jobs a requeue/purge applies to: listed IDs, or everything with --all. */
function selection(opts: { id?: string[]; all?: boolean }): string[] | undefined | Error {
  if (opts.id && opts.all) return new Error('give either --id or --all, not both');
  if (opts.id) {
    const bad = opts.id.find((id) => !/^\d+$/.test(id));
    return bad === undefined ? opts.id : new Error(`--id must be job IDs (numbers), got "${bad}"`);
  }
  if (opts.all) return undefined;
  return new Error('give --id <id...> or --all');
}

export function registerQueueCommands(program: Command): void {
  const queue = program.command('queue').description('inspect the push queue and its dead letters');

  withStorageOptions(queue.command('stats').description('count jobs by state'))
    .option('-a, --app <sdkappid>', 'only this app', parseIntStrict('--app'))
    .option('--json', 'print JSON')
    .action(async (opts: CommonOpts & { app?: number; json?: boolean }) => {
      await withPushline(opts, async (p) => {
        const s = await p.pushQueue.stats(opts.app === undefined ? {} : { sdkAppId: opts.app });
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(s)}\n`);
          return;
        }
        const oldest = s.oldestReadyCreatedAt === null ? '-' : new Date(s.oldestReadyCreatedAt).toISOString();
        process.stdout.write(
          `ready ${s.ready}\ndelayed ${s.delayed}\nleased ${s.leased}\nheld ${s.held}\ndead ${s.dead}\noldest ready ${oldest}\n`,
        );
      });
    });

  appCommand(queue, 'dead', "list an app's dead letters, oldest first")
    .option('--limit <n>', 'page size (1-1000)', parseIntStrict('--limit'), 100)
    .option('--after <id>', 'start after this job ID (the "next" of the previous page)')
    .option('--json', 'print JSON')
    .action(async (opts: AppOpts & { limit: number; after?: string }) => {
      await withPushline(opts, async (p) => {
        const page = await p.pushQueue.listDead(filterOf(opts), {
          limit: opts.limit,
          ...(opts.after !== undefined ? { after: opts.after } : {}),
        });
        const jobs = page.jobs.map(summary);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ jobs, ...(page.next ? { next: page.next } : {}) })}\n`);
          return;
        }
        if (jobs.length === 0) process.stdout.write('no dead letters\n');
        for (const j of jobs) {
          process.stdout.write(
            `${j.id}\t${j.pushId}\tcertificate=${j.certificateId}\t${j.vendor}\tattempts=${j.attempts}\tdead=${j.deadAt}\t${j.lastError ?? ''}\t${j.lastAnswer ?? ''}\n`,
          );
        }
        if (page.next) process.stdout.write(`more: --after ${page.next}\n`);
      });
    });

  for (const [name, description, verb] of [
    ['requeue', 'send dead letters again (with zero attempts)', 'requeued'],
    ['purge', 'delete dead letters', 'deleted'],
  ] as const) {
    appCommand(queue, name, description)
      .option('--id <id...>', 'job IDs (from `pushline queue dead`)')
      .option('--all', 'every dead letter of the app (or of --certificate)')
      .action(async (opts: AppOpts & { id?: string[]; all?: boolean }) => {
        const ids = selection(opts);
        if (ids instanceof Error) {
          process.stderr.write(`pushline queue ${name}: ${ids.message}\n`);
          process.exitCode = 1;
          return;
        }
        await withPushline(opts, async (p) => {
          const n =
            name === 'requeue'
              ? await p.pushQueue.requeueDead(filterOf(opts), ids)
              : await p.pushQueue.purgeDead(filterOf(opts), ids);
          process.stdout.write(`${verb} ${n} dead letter${n === 1 ? '' : 's'}\n`);
        });
      });
  }
}
