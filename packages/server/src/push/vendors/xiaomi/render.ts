// Xiaomi MiPush: form fields. title < 50 characters, description < 128; `extra.channel_id` is needed
// on Android 8+; the click goes through `extra.notify_effect` (1 app, 2 intent, 3 web); Ext rides in
// `extra.ext`. There is no badge field: MIUI counts notifications itself.

import { androidTexts, clickActionOf, jsonBytes, type VendorRenderer } from '../../render/vendor-renderer.js';
import type { XiaomiRequest } from '../../types.js';

export const xiaomiRenderer: VendorRenderer<XiaomiRequest> = {
  maxBytes: () => 4096,
  fieldLimits: { title: 49, body: 127 },
  titleRequired: true,
  texts: androidTexts,

  prepare(content, certificate) {
    const extra: Record<string, string> = {};
    if (content.ttlSeconds !== undefined) extra.time_to_live = String(content.ttlSeconds * 1000);
    const channelId = content.android.XiaoMiChannelID || certificate.defaults.channelId;
    if (channelId) extra['extra.channel_id'] = channelId;
    const click = clickActionOf(certificate);
    if (click.type === 'open_app') extra['extra.notify_effect'] = '1';
    else if (click.type === 'open_page') {
      extra['extra.notify_effect'] = '2';
      extra['extra.intent_uri'] = click.page;
    } else {
      extra['extra.notify_effect'] = '3';
      extra['extra.web_uri'] = click.url;
    }
    if (content.ext !== undefined) extra['extra.ext'] = content.ext;
    // Calls: the follow-up with the same notify_id replaces the ringing notification; the call sound.
    // Messages: one notification each (not stacked under notify_id 0), revoked by it on recall.
    const notifyId = content.call?.notifyId ?? content.messageRef?.notifyId;
    if (notifyId !== undefined) extra.notify_id = String(notifyId);
    if (content.call && content.androidSound) {
      extra['extra.sound_uri'] =
        `android.resource://${certificate.appIdentifier}/raw/${content.androidSound}`;
    }

    return (texts) => ({
      vendor: 'xiaomi',
      form: {
        restricted_package_name: certificate.appIdentifier,
        pass_through: '0',
        notify_type: '-1',
        title: texts.title ?? '',
        description: texts.body,
        ...extra,
      },
    });
  },

  size: (request) => jsonBytes(request.form),
};
