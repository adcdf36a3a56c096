// `pushline openapi`: writes the OpenAPI 3.1 document that GET /openapi.json serves (http/openapi.ts). It is
// built from the commands and routes a server registers, so the command builds one — on a throwaway data
// directory (SQLite, no Redis), never touching the configured storage — and closes it without listening.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config.js';

export function registerOpenApiCommand(program: Command): void {
  program
    .command('openapi')
    .description('write the OpenAPI 3.1 document of the v4 REST API and the console API (GET /openapi.json)')
    .option('-o, --output <file>', 'file to write (default: standard output)')
    .action(async (opts: { output?: string }) => {
      const json = `${JSON.stringify(await openApiDocument(), null, 2)}\n`;
      if (opts.output) writeFileSync(opts.output, json);
      else process.stdout.write(json);
    });
}

/** The document of a server built with the default configuration on a temporary data directory. */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pushline-openapi-'));
  try {
    const config = loadConfig({ env: {}, flags: { dataDir, logLevel: 'silent', workers: 1 } });
    const { createPushline } = await import('../server.js');
    const pushline = await createPushline(config);
    try {
      await pushline.http.ready();
      return pushline.openApi();
    } finally {
      await pushline.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
