// Pushline in its own process (forked by the harness), so its RSS and CPU are its own: createPushline
// from the built dist, exactly as `pushline serve` composes it. Config flags come as JSON in argv[2].
// Started with --expose-gc, so `mem` reports live memory after a full collection.
import { createPushline, loadConfig } from '../../packages/server/dist/index.js';
import { serve } from './rpc.mjs';

const config = loadConfig({ flags: JSON.parse(process.argv[2]), env: {} });
const pushline = await createPushline(config);
const url = await pushline.listen();

serve({
  url: () => url,
  mem: () => {
    globalThis.gc?.();
    globalThis.gc?.();
    return process.memoryUsage();
  },
});

process.on('disconnect', () => {
  pushline.close().finally(() => process.exit(0));
});
