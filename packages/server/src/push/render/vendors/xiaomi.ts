// Xiaomi MiPush: form fields. title < 50 characters, description < 128; `extra.channel_id` is needed
// on Android 8+; the click goes through `extra.notify_effect` (1 app, 2 intent, 3 web); Ext rides in
// `extra.ext`.
import type { XiaomiRequest } from '../../types.js';
import { androidTexts, clickActionOf, jsonBytes, type VendorRenderer } from '../vendor-renderer.js';

export const xiaomiRenderer: VendorRenderer<XiaomiRequest> = {
  maxBytes: () => 4096,
  fieldLimits: { title: 49, body: 127 },
  texts: androidTexts,

  build({ content, certificate, texts }) {
    const form: Record<string, string> = {
      restricted_package_name: certificate.appIdentifier,
      pass_through: '0',
      notify_type: '-1',
      title: texts.title ?? '',
      description: texts.body,
    };
    if (content.ttlSeconds !== undefined) form.time_to_live = String(content.ttlSeconds * 1000);
    const channelId = content.android.XiaoMiChannelID || certificate.defaults.channelId;
    if (channelId) form['extra.channel_id'] = channelId;
    const click = clickActionOf(certificate);
    if (click.type === 'open_app') form['extra.notify_effect'] = '1';
    else if (click.type === 'open_page') {
      form['extra.notify_effect'] = '2';
      form['extra.intent_uri'] = click.page;
    } else {
      form['extra.notify_effect'] = '3';
      form['extra.web_uri'] = click.url;
    }
    if (content.ext !== undefined) form['extra.ext'] = content.ext;
    return { vendor: 'xiaomi', form };
  },

  size: (request) => jsonBytes(request.form),
};
