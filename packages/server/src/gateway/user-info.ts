// A profile as the SDK shows it (V2TIMUserFullInfo), for the ops that answer with profiles.
import { CUSTOM_PREFIX, type UserProfile } from '../apps/profiles.js';

/** V2TIMUserFullInfo.allowType: 0 allow anyone, 1 need confirmation, 2 deny anyone. */
export const V2TIM_ALLOW_TYPES = [
  'AllowType_Type_AllowAny',
  'AllowType_Type_NeedConfirm',
  'AllowType_Type_DenyAny',
];

/** A profile as the SDK shows it (V2TIMUserFullInfo's names; custom fields without their prefix). */
export function userInfo(p: UserProfile): Record<string, unknown> {
  const customInfo: Record<string, string | number> = {};
  for (const [tag, value] of Object.entries(p.custom)) customInfo[tag.slice(CUSTOM_PREFIX.length)] = value;
  return {
    userId: p.userId,
    nickName: p.nick,
    faceUrl: p.faceUrl,
    allowType: Math.max(0, V2TIM_ALLOW_TYPES.indexOf(p.allowType)),
    customInfo,
  };
}
