// Messages and certificates shared by the render tests and the golden payload files.
import type { CertificateDefaults, CertificateInfo, Vendor } from '../../src/certificates/types.js';
import type { BadgeState, RenderMessage } from '../../src/push/render/index.js';

export const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);

export function certificate(vendor: Vendor, over: Partial<CertificateInfo> = {}): CertificateInfo {
  const defaults: CertificateDefaults =
    vendor === 'apns' || vendor === 'webpush'
      ? {}
      : {
          channelId: 'im_messages',
          category: 'IM',
          importance: 'NORMAL',
          badgeClass: 'com.example.chat.MainActivity',
        };
  return {
    id: 7,
    sdkAppId: 1400000001,
    vendor,
    kind: 'alert',
    name: `${vendor} test`,
    environment: vendor === 'apns' ? 'production' : undefined,
    appIdentifier: vendor === 'fcm' ? 'example-chat' : 'com.example.chat',
    publicFields: {},
    maskedSecrets: {},
    defaults,
    expiresAt: null,
    status: 'active',
    pausedReason: null,
    createdAt: NOW,
    updatedAt: NOW,
    ...over,
  };
}

const base: RenderMessage = {
  kind: 'message',
  chatType: 'c2c',
  sender: { userId: 'alice', nick: 'Alice' },
  body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'Are we still on for lunch?' } }],
  now: NOW,
};
const badge: BadgeState = { unreadAtBackground: 3, countedSince: 1 };

export interface RenderCase {
  message: RenderMessage;
  badge?: BadgeState;
  /** Certificate overrides (defaults, kind). */
  certificate?: Partial<CertificateInfo>;
  vendors?: readonly Vendor[];
}

const longChinese = '今天的会议改到下午三点，请大家准时参加。'.repeat(200) + '👍🏽🇨🇳';

export const RENDER_CASES: Record<string, RenderCase> = {
  // C2C text with a nickname, badge 3 unread + 1 pushed since + this one.
  text: { message: base, badge },
  // A custom element alone: its Desc is the text, its Ext and Sound go to APNs (no OfflinePushInfo).
  custom: {
    message: {
      ...base,
      body: [
        {
          MsgType: 'TIMCustomElem',
          MsgContent: {
            Data: '{"order":42}',
            Desc: 'Order #42 shipped',
            Ext: 'https://shop.example/42',
            Sound: 'dingdong.aiff',
          },
        },
      ],
    },
    badge,
  },
  // Group text with OfflinePushInfo Title, Ext and per-vendor Android settings; multi-element body.
  group: {
    message: {
      ...base,
      chatType: 'group',
      group: { id: '@TGS#2C5SZEAEF', name: 'Lunch Club' },
      body: [
        { MsgType: 'TIMTextElem', MsgContent: { Text: 'Here: ' } },
        { MsgType: 'TIMLocationElem', MsgContent: { Desc: 'Cafe', Latitude: 29.34, Longitude: 116.77 } },
        { MsgType: 'TIMFaceElem', MsgContent: { Index: 1 } },
      ],
      offlinePushInfo: {
        Title: 'Lunch Club',
        Ext: '{"entity":{"chatType":2,"sender":"@TGS#2C5SZEAEF","action":1}}',
        AndroidInfo: {
          HuaWeiChannelID: 'hw_im',
          XiaoMiChannelID: 'xm_im',
          OPPOChannelID: 'oppo_im',
          GoogleChannelID: 'fcm_im',
          HuaWeiCategory: 'IM',
          HuaWeiImportance: 'NORMAL',
          HonorImportance: 'NORMAL',
          OPPOCategory: 'IM',
          OPPONotifyLevel: 16,
          VIVOCategory: 'IM',
          VIVOClassification: 1,
          MeiZuNoticeMsgType: 1,
        },
      },
      msgLifeTime: 86400,
    },
    badge,
  },
  // An @-mention in a group, sender without nickname: "(group name): text".
  'at-mention': {
    message: {
      ...base,
      chatType: 'group',
      sender: { userId: 'carol' },
      group: { id: '@TGS#2C5SZEAEF', name: 'Lunch Club' },
      body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: '@Bob can you book a table?' } }],
    },
    badge: { unreadAtBackground: 0, countedSince: 0 },
  },
  // Image element text plus rich-notification images per vendor.
  images: {
    message: {
      ...base,
      body: [{ MsgType: 'TIMImageElem', MsgContent: { UUID: 'img-1', ImageFormat: 1 } }],
      offlinePushInfo: {
        ApnsInfo: { Image: 'https://cdn.example/p/1.jpg' },
        AndroidInfo: {
          HuaWeiImage: 'https://cdn.example/p/1-hw.jpg',
          HonorImage: 'https://cdn.example/p/1-honor.jpg',
          GoogleImage: 'https://cdn.example/p/1-fcm.jpg',
        },
      },
    },
    badge,
  },
  // Custom sounds: APNs with extension, Android without.
  sound: {
    message: {
      ...base,
      offlinePushInfo: { ApnsInfo: { Sound: 'apns.mp3' }, AndroidInfo: { Sound: 'shake' } },
    },
    badge,
  },
  // "push.no_sound": a silent APNs alert.
  silent: {
    message: { ...base, offlinePushInfo: { ApnsInfo: { Sound: 'push.no_sound' } } },
    badge,
    vendors: ['apns'],
  },
  // BadgeMode 1 / ignoreIOSBadge: no badge on APNs; Android still counts.
  'badge-mode': {
    message: { ...base, offlinePushInfo: { ApnsInfo: { BadgeMode: 1 } } },
    badge,
  },
  // The reference's full OfflinePushInfo example: Desc overrides the text, ApnsInfo title/subtitle.
  'desc-override': {
    message: {
      ...base,
      offlinePushInfo: {
        PushFlag: 0,
        Title: '离线推送标题',
        Desc: '离线推送内容',
        Ext: '{"entity":{"key1":"value1","key2":"value2"}}',
        AndroidInfo: {
          Sound: 'shake',
          XiaoMiChannelID: 'xiaomi_channel_id',
          OPPOChannelID: 'oppo_channel_id',
          VIVOCategory: 'IM',
          HuaWeiCategory: 'IM',
          HonorImportance: 'NORMAL',
          MeiZuNoticeMsgType: 1,
          OPPOCategory: 'IM',
          OPPOPrivateMsgTemplateId: 'xxxx',
          PushStyle: 1,
        },
        ApnsInfo: {
          Sound: 'apns.mp3',
          BadgeMode: 1,
          Title: 'apns title',
          SubTitle: 'apns subtitle',
          Image: 'https://www.image.com/a.png',
          MutableContent: 1,
          InterruptionLevel: 'time-sensitive',
        },
      },
    },
    badge,
  },
  // Long multi-byte text with a skin-toned emoji and a flag at the end: cut at a grapheme boundary.
  truncation: {
    message: {
      ...base,
      body: [{ MsgType: 'TIMTextElem', MsgContent: { Text: longChinese } }],
      offlinePushInfo: { Title: '会议通知'.repeat(30), Ext: '{"meeting":"m-1"}' },
    },
    badge,
  },
  // Ext alone is over every vendor's limit: a named failure, never a silent drop.
  'ext-too-large': {
    message: { ...base, offlinePushInfo: { Ext: JSON.stringify({ blob: 'x'.repeat(6000) }) } },
    badge,
  },
  // Click actions from the certificate defaults.
  'click-open-page': {
    message: { ...base, offlinePushInfo: { Ext: '{"k":"v"}', AndroidInfo: { ExtAsHuaweiIntentParam: 1 } } },
    certificate: {
      defaults: {
        channelId: 'im_messages',
        clickAction: {
          type: 'open_page',
          page: 'intent://chat/open#Intent;scheme=pushline;launchFlags=0x4000000;end',
        },
      },
    },
    vendors: ['fcm', 'huawei', 'honor', 'xiaomi', 'oppo', 'vivo', 'meizu', 'webpush'],
  },
  'click-open-url': {
    message: base,
    certificate: { defaults: { clickAction: { type: 'open_url', url: 'https://chat.example/c/alice' } } },
    vendors: ['fcm', 'huawei', 'honor', 'xiaomi', 'oppo', 'vivo', 'meizu', 'webpush'],
  },
  // FCM data messages (certificate default): title and body in `data`.
  'fcm-data': {
    message: { ...base, offlinePushInfo: { Ext: '{"k":"v"}' } },
    certificate: { defaults: { fcmMessageType: 'data' } },
    vendors: ['fcm'],
  },
  // A call invitation on an alert certificate: high priority, ringing sound, expiry = invite + timeout.
  call: {
    message: {
      ...base,
      kind: 'call',
      body: [{ MsgType: 'TIMCustomElem', MsgContent: { Data: '{"businessID":"av_call","call_type":2}' } }],
      offlinePushInfo: { Desc: 'You have a new call invitation', Ext: '{"entity":{"action":2}}' },
      expiresAt: NOW + 30_000,
    },
    badge,
  },
  // The same call on an APNs VoIP certificate: PushKit push to <bundle>.voip.
  'call-voip': {
    message: {
      ...base,
      kind: 'call',
      body: [{ MsgType: 'TIMCustomElem', MsgContent: { Data: '{"businessID":"av_call","call_type":2}' } }],
      offlinePushInfo: { Desc: 'You have a new call invitation', Ext: '{"entity":{"action":2}}' },
      expiresAt: NOW + 30_000,
    },
    certificate: { kind: 'voip' },
    vendors: ['apns'],
  },
};
