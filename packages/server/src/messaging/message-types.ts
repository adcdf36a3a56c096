// Tencent IM message elements (docs/internals/tencent-im.md#message-elements) and OfflinePushInfo
// (docs/internals/tencent-im.md#offlinepushinfo), shared by the REST API, the gateway, storage and the push
// renderer. Unknown fields inside elements are kept, so a message round-trips unchanged to clients.
import { z } from 'zod';

const text = z.string();
const int = z.number().int();

export const textElem = z.object({
  MsgType: z.literal('TIMTextElem'),
  MsgContent: z.looseObject({ Text: text }),
});
export const locationElem = z.object({
  MsgType: z.literal('TIMLocationElem'),
  MsgContent: z.looseObject({ Desc: text.optional(), Latitude: z.number(), Longitude: z.number() }),
});
export const faceElem = z.object({
  MsgType: z.literal('TIMFaceElem'),
  MsgContent: z.looseObject({ Index: int, Data: text.optional() }),
});
export const customElem = z.object({
  MsgType: z.literal('TIMCustomElem'),
  MsgContent: z.looseObject({
    Data: text.optional(),
    Desc: text.optional(),
    Ext: text.optional(),
    Sound: text.optional(),
  }),
});
export const soundElem = z.object({
  MsgType: z.literal('TIMSoundElem'),
  MsgContent: z.looseObject({
    Url: text.optional(),
    UUID: text.optional(),
    Size: int.optional(),
    Second: int.optional(),
  }),
});
export const imageElem = z.object({
  MsgType: z.literal('TIMImageElem'),
  MsgContent: z.looseObject({
    UUID: text.optional(),
    ImageFormat: int.optional(),
    ImageInfoArray: z
      .array(
        z.looseObject({
          Type: int,
          Size: int.optional(),
          Width: int.optional(),
          Height: int.optional(),
          URL: text,
        }),
      )
      .optional(),
  }),
});
export const fileElem = z.object({
  MsgType: z.literal('TIMFileElem'),
  MsgContent: z.looseObject({ Url: text.optional(), FileSize: int.optional(), FileName: text.optional() }),
});
export const videoElem = z.object({
  MsgType: z.literal('TIMVideoFileElem'),
  MsgContent: z.looseObject({
    VideoUrl: text.optional(),
    VideoSecond: int.optional(),
    ThumbUrl: text.optional(),
  }),
});
export const relayElem = z.object({
  MsgType: z.literal('TIMRelayElem'),
  MsgContent: z.looseObject({
    Title: text.optional(),
    MsgNum: int.optional(),
    CompatibleText: text.optional(),
  }),
});

export const msgElement = z.discriminatedUnion('MsgType', [
  textElem,
  locationElem,
  faceElem,
  customElem,
  soundElem,
  imageElem,
  fileElem,
  videoElem,
  relayElem,
]);
export type MsgElement = z.infer<typeof msgElement>;
export type MsgType = MsgElement['MsgType'];

/** A message body: one or more elements, at most one TIMCustomElem. */
export const msgBody = z
  .array(msgElement)
  .min(1, 'MsgBody must hold at least one element')
  .refine((els) => els.filter((e) => e.MsgType === 'TIMCustomElem').length <= 1, {
    message: 'a message may contain only one TIMCustomElem',
  });
export type MsgBody = z.infer<typeof msgBody>;

export const androidInfo = z.looseObject({
  Sound: text.optional(),
  HuaWeiChannelID: text.optional(),
  XiaoMiChannelID: text.optional(),
  OPPOChannelID: text.optional(),
  GoogleChannelID: text.optional(),
  VIVOClassification: int.optional(),
  VIVOCategory: text.optional(),
  HuaWeiImportance: text.optional(),
  HuaWeiCategory: text.optional(),
  ExtAsHuaweiIntentParam: int.optional(),
  HonorImportance: text.optional(),
  OPPOCategory: text.optional(),
  OPPONotifyLevel: int.optional(),
  OPPOPrivateMsgTemplateId: text.optional(),
  MeiZuNoticeMsgType: int.optional(),
  PushStyle: int.optional(),
  HuaWeiImage: text.optional(),
  HonorImage: text.optional(),
  GoogleImage: text.optional(),
});

export const apnsInfo = z.looseObject({
  Sound: text.optional(),
  BadgeMode: int.optional(),
  Title: text.optional(),
  SubTitle: text.optional(),
  Image: text.optional(),
  MutableContent: int.optional(),
  /** iOS 15 interruption level: passive | active | time-sensitive | critical. */
  InterruptionLevel: text.optional(),
});

export const offlinePushInfo = z.looseObject({
  PushFlag: int.optional(),
  Title: text.optional(),
  Desc: text.optional(),
  Ext: text.optional(),
  AndroidInfo: androidInfo.optional(),
  ApnsInfo: apnsInfo.optional(),
});
export type OfflinePushInfo = z.infer<typeof offlinePushInfo>;
export type AndroidInfo = z.infer<typeof androidInfo>;
export type ApnsInfo = z.infer<typeof apnsInfo>;

/**
 * Message priorities (REST send_group_msg MsgPriority, the SDK's priority). Tencent IM discards lower
 * priorities first when a group sends faster than its rate limit; Pushline has no such limit and delivers
 * every message, so a priority is validated and has nothing to act on.
 */
export const MESSAGE_PRIORITIES = ['High', 'Normal', 'Low', 'Lowest'] as const;
