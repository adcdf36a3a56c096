// POST /v3/offline_push_report/{huawei|honor|vivo|meizu|xiaomi}?sdkappid=<id>&token=<receipt token>
// Vendors post delivery (and Meizu/Xiaomi click) receipts here. They cannot sign requests with our
// credentials, so the URL carries a per-app, per-vendor token (push/outcomes/receipt-token.ts).
import type { FastifyInstance } from 'fastify';
import type { AppsService } from '../apps/apps.js';
import { checkReceiptToken } from '../push/outcomes/receipt-token.js';
import {
  parseReceipts,
  RECEIPT_VENDORS,
  ReceiptFormatError,
  type ReceiptVendor,
} from '../push/outcomes/receipts.js';
import type { OutcomeRecorder } from '../push/outcomes/recorder.js';

export interface ReceiptRouteDeps {
  apps: AppsService;
  recorder: OutcomeRecorder;
  bodyLimit: number;
}

/** Receipts per request; Huawei sends up to a few hundred statuses at once. */
const MAX_RECEIPTS = 1000;

export async function registerReceiptRoutes(fastify: FastifyInstance, deps: ReceiptRouteDeps): Promise<void> {
  await fastify.register(async (scope) => {
    // JSON (Huawei, Honor, vivo) or form posts (Meizu `cb=`, Xiaomi `data=`): parsed per vendor.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: deps.bodyLimit }, (_req, body, done) =>
      done(null, body),
    );

    scope.post('/v3/offline_push_report/:vendor', async (request, reply) => {
      const { vendor } = request.params as { vendor: string };
      if (!(RECEIPT_VENDORS as readonly string[]).includes(vendor)) {
        return reply
          .code(404)
          .send({ error: `no receipts for "${vendor}": use one of ${RECEIPT_VENDORS.join(', ')}` });
      }
      const q = request.query as Record<string, string | undefined>;
      const sdkAppId = Number(q.sdkappid);
      const app = /^\d{1,10}$/.test(q.sdkappid ?? '') ? await deps.apps.get(sdkAppId) : undefined;
      if (!app || !q.token || !checkReceiptToken(app.secretKey, sdkAppId, vendor, q.token)) {
        return reply
          .code(401)
          .send({ error: 'sdkappid and token must be those of the receipt URL Pushline gave' });
      }
      let parsed: ReturnType<typeof parseReceipts>;
      try {
        parsed = parseReceipts(vendor as ReceiptVendor, typeof request.body === 'string' ? request.body : '');
      } catch (err) {
        if (!(err instanceof ReceiptFormatError)) throw err;
        return reply.code(400).send({ error: `not a ${vendor} receipt: ${err.message}` });
      }
      if (parsed.length > MAX_RECEIPTS) {
        return reply.code(400).send({ error: `at most ${MAX_RECEIPTS} receipts per request` });
      }
      const matched = await deps.recorder.receipts(
        parsed.map((r) => ({ ...r, sdkAppId, vendor: vendor as ReceiptVendor })),
      );
      return reply.send({ code: 0, message: 'success', receipts: parsed.length, matched });
    });
  });
}
