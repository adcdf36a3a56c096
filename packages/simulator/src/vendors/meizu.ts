// Meizu (Flyme) Push, from the official public API doc (docs/internals/meizu.md): form posts signed with
// md5(sorted k=v pairs + appSecret); per-target failures come back in `value`, keyed by code.
import {
  type HttpVendorHandler,
  json,
  parseJson,
  startHttpVendor,
  type VendorRecord,
  type VendorReply,
  type VendorRequest,
} from '../core/http-vendor.js';
import { form, md5, obj, requestId, str, targetState } from '../core/oem.js';
import type { SimContext, VendorServerDef } from '../core/types.js';

const PATHS = [
  '/garcia/api/server/push/varnished/pushByPushId',
  '/garcia/api/server/push/unvarnished/pushByPushId',
];

function reply(code: string, message = '', value: unknown = {}, msgId = ''): VendorReply {
  return json(200, { code, message, value, msgId, redirect: '' }, code, { ok: code === '200' });
}

/** Meizu's sign: params sorted by name, `k=v` concatenated raw, appSecret appended, md5 lowercase hex. */
export function meizuSign(params: Record<string, string>, appSecret: string): string {
  const keys = Object.keys(params)
    .filter((k) => k !== 'sign')
    .sort();
  return md5(keys.map((k) => `${k}=${params[k]}`).join('') + appSecret);
}

export function meizuHandler(ctx: SimContext): HttpVendorHandler {
  const push = (req: VendorRequest, passThrough: boolean): VendorReply => {
    const params = Object.fromEntries(form(req).entries());
    if (!params.appId || !params.pushIds || !params.messageJson || !params.sign)
      return reply('110004', 'param empty');
    const app = ctx.credentials.vendorApp('meizu', params.appId);
    if (!app) return reply('110000', 'appId invalid');
    if (params.sign !== meizuSign(params, app.appSecret ?? '')) return reply('1006', 'sign error');
    const ids = params.pushIds.split(',').filter(Boolean);
    if (ids.length > 100) return reply('1005', 'pushIds exceed 100');
    const message = parseJson(Buffer.from(params.messageJson));
    if (!message || typeof message !== 'object') return reply('1005', 'messageJson invalid');
    const m = obj(message);
    const bar = obj(m.noticeBarInfo);
    if (!passThrough) {
      if (!bar.title || !bar.content) return reply('1005', 'noticeBarInfo.title and content are required');
      if ([...String(bar.title)].length > 32 || [...String(bar.content)].length > 100)
        return reply('1005', 'title or content too long');
    }
    const value: Record<string, string[]> = {};
    const good: string[] = [];
    for (const id of ids) {
      const [state] = targetState(ctx, 'meizu', id, app.appId);
      if (state === 'ok') good.push(id);
      else {
        const code = state === 'uninstalled' ? '110002' : '110003';
        value[code] = [...(value[code] ?? []), id];
      }
    }
    const msgId = `NS${requestId()}`;
    return {
      ...reply('200', '', value, msgId),
      records: good.map((t) => toRecord(m, t, app.appId, msgId, passThrough)),
    };
  };
  return {
    vendor: 'meizu',
    handle(req) {
      const i = PATHS.indexOf(req.path);
      if (req.method === 'POST' && i >= 0) return push(req, i === 1);
      return json(404, { code: '404', message: 'Not Found', value: {}, msgId: '', redirect: '' }, '404', {
        ok: false,
      });
    },
    fault(status, reason, retryAfter) {
      const r =
        status === 200
          ? reply(reason ?? '1001', 'injected fault')
          : json(
              status,
              {
                code: reason ?? String(status),
                message: 'injected fault',
                value: {},
                msgId: '',
                redirect: '',
              },
              reason ?? String(status),
              { ok: false },
            );
      if (retryAfter !== undefined) r.headers = { 'retry-after': String(retryAfter) };
      return r;
    },
    quota: () => reply('110010', 'rate too fast'),
  };
}

function toRecord(
  m: Record<string, unknown>,
  token: string,
  app: string,
  msgId: string,
  passThrough: boolean,
): VendorRecord {
  const bar = obj(m.noticeBarInfo);
  const click = obj(m.clickTypeInfo);
  const adv = obj(m.advanceInfo);
  return {
    token,
    app,
    messageId: msgId,
    title: str(bar.title) ?? str(m.title),
    body: str(bar.content) ?? str(m.content),
    clickAction: str(click.url) ?? str(click.activity) ?? str(click.clickType),
    data: click.parameters ?? m.extra,
    category: str(bar.noticeMsgType),
    collapseId: str(adv.notifyKey),
    pushType: passThrough ? 'passthrough' : 'notification',
  };
}

export const meizuServer: VendorServerDef = {
  urlKeys: ['meizu'],
  start: (ctx, opts) => startHttpVendor(ctx, meizuHandler(ctx), opts),
};
