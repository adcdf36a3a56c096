// OPPO: the unicast `notification` object. title ≤ 50, content ≤ 200; channel_id, category and
// notify_level classify the message; Ext goes in action_parameters as {"ext": Ext}. No badge field.

import {
  androidTexts,
  clickActionOf,
  compact,
  extJson,
  jsonBytes,
  type VendorRenderer,
} from '../../render/vendor-renderer.js';
import type { OppoRequest } from '../../types.js';

export const oppoRenderer: VendorRenderer<OppoRequest> = {
  maxBytes: () => 4096,
  fieldLimits: { title: 50, body: 200 },
  titleRequired: true,
  texts: androidTexts,

  prepare(content, certificate) {
    const { android } = content;
    const click = clickActionOf(certificate);
    const intentScheme = click.type === 'open_page' && click.page.includes(':');
    // A ringing call is an IM message shown with banner, vibration and ring (notify_level 16).
    const ringing = content.call?.action === 'ring';
    const fixed = compact({
      style: android.PushStyle === 1 ? 2 : 1,
      channel_id: android.OPPOChannelID || certificate.defaults.channelId,
      category: android.OPPOCategory || certificate.defaults.category || (content.call ? 'IM' : undefined),
      notify_level: android.OPPONotifyLevel ?? (ringing ? 16 : undefined),
      private_msg_template_id: android.OPPOPrivateMsgTemplateId || undefined,
      // 0 open the app, 1 in-app page by intent action, 2 URL, 5 intent scheme.
      click_action_type: click.type === 'open_app' ? 0 : click.type === 'open_url' ? 2 : intentScheme ? 5 : 1,
      click_action_activity: click.type === 'open_page' && !intentScheme ? click.page : undefined,
      click_action_url: click.type === 'open_url' ? click.url : intentScheme ? click.page : undefined,
      action_parameters: content.ext !== undefined ? extJson(content.ext) : undefined,
      off_line_ttl: content.ttlSeconds,
      // Calls: the follow-up with the same notify_id replaces the ringing notification.
      notify_id: content.call?.notifyId,
    });

    return (texts) => ({
      vendor: 'oppo',
      notification: { title: texts.title ?? '', content: texts.body, ...fixed },
    });
  },

  size: (request) => jsonBytes(request.notification),
};
