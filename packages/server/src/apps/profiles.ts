// User profiles (Tencent's profile/portrait_set and portrait_get, the SDK's getUsersInfo and setSelfInfo).
// One source of truth: Nick and FaceUrl are the accounts' own columns (account_import writes them too, and
// push texts read them), AllowType and the custom fields live beside them in the same row. Custom fields
// (Tag_Profile_Custom_<name>) must be declared in the app settings first (`profileCustomTags`), as Tencent
// requires them to be configured in its console. docs/internals/tencent-im.md#profiles.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { AppsService } from './apps.js';
import { type CustomTag, customTagsSchema } from './profile-tags.js';
import type { AppSettings } from './settings.js';

export const NICK_TAG = 'Tag_Profile_IM_Nick';
export const IMAGE_TAG = 'Tag_Profile_IM_Image';
export const ALLOW_TYPE_TAG = 'Tag_Profile_IM_AllowType';
export const CUSTOM_PREFIX = 'Tag_Profile_Custom_';

export const ALLOW_TYPES = [
  'AllowType_Type_NeedConfirm',
  'AllowType_Type_AllowAny',
  'AllowType_Type_DenyAny',
] as const;
export type AllowType = (typeof ALLOW_TYPES)[number];
export const DEFAULT_ALLOW_TYPE: AllowType = 'AllowType_Type_NeedConfirm';

/** Tencent's standard tags that Pushline does not store: refused by name rather than accepted and lost. */
export const UNSUPPORTED_STANDARD_TAGS = [
  'Tag_Profile_IM_Gender',
  'Tag_Profile_IM_BirthDay',
  'Tag_Profile_IM_Location',
  'Tag_Profile_IM_SelfSignature',
  'Tag_Profile_IM_AdminForbidType',
  'Tag_Profile_IM_Language',
  'Tag_Profile_IM_MsgSettings',
  'Tag_Profile_IM_Level',
  'Tag_Profile_IM_Role',
] as const;

/** Bytes of a string profile value (Nick, Image, a string custom field). */
export const MAX_PROFILE_VALUE_BYTES = 500;
/** Tencent's profile error codes (docs/internals/tencent-im.md#profiles). */
export const ProfileErrorCode = {
  /** The request could not be read: a missing field, a value of the wrong type or outside its set. */
  InvalidRequest: 40001,
  /** The account does not exist. */
  AccountNotFound: 40003,
  /** The tag does not exist: undeclared custom fields and standard tags Pushline does not store. */
  TagNotFound: 40009,
  /** A value is longer than 500 bytes. */
  ValueTooLong: 40601,
} as const;

export class ProfileError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** `Level:integer,Hobby` (type string by default) -> declarations; throws on a bad list. */
export function parseCustomTagList(list: string): CustomTag[] {
  const tags = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((item) => {
      const [name, type = 'string'] = item.split(':');
      return { name: (name ?? '').replace(new RegExp(`^${CUSTOM_PREFIX}`), ''), type };
    });
  return customTagsSchema.parse(tags);
}

export type ProfileValue = string | number;
export interface ProfileItem {
  Tag: string;
  Value: ProfileValue;
}

export interface UserProfile {
  userId: string;
  nick: string;
  faceUrl: string;
  allowType: AllowType;
  /** By full tag name. */
  custom: Record<string, ProfileValue>;
}

type TagRule = { kind: 'nick' | 'image' | 'allowType' } | { kind: 'custom'; type: CustomTag['type'] };

export class ProfileService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly apps: AppsService,
  ) {}

  /**
   * Sets the items on one account, all or nothing: every item is checked before anything is written.
   * Returns the profile as it now is.
   */
  async set(sdkAppId: number, userId: string, items: ProfileItem[]): Promise<UserProfile> {
    if (items.length === 0) throw new ProfileError(ProfileErrorCode.InvalidRequest, 'ProfileItem is empty');
    const rules = await this.#rules(sdkAppId);
    const update: { nick?: string; face_url?: string; allow_type?: string } = {};
    const custom: Record<string, ProfileValue> = {};
    for (const item of items) {
      const rule = ruleOf(rules, item.Tag);
      const value = checkValue(item.Tag, rule, item.Value);
      if (rule.kind === 'nick') update.nick = value as string;
      else if (rule.kind === 'image') update.face_url = value as string;
      else if (rule.kind === 'allowType') update.allow_type = value as string;
      else custom[item.Tag] = value;
    }
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('accounts')
        .select(['profile_custom'])
        .where('sdkappid', '=', sdkAppId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      if (!row)
        throw new ProfileError(ProfileErrorCode.AccountNotFound, `account "${userId}" does not exist`);
      const merged = { ...parseCustom(row.profile_custom), ...custom };
      await trx
        .updateTable('accounts')
        .set({ ...update, profile_custom: JSON.stringify(merged) })
        .where('sdkappid', '=', sdkAppId)
        .where('user_id', '=', userId)
        .execute();
      const after = await trx
        .selectFrom('accounts')
        .select(['user_id', 'nick', 'face_url', 'allow_type', 'profile_custom'])
        .where('sdkappid', '=', sdkAppId)
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
      return toProfile(after);
    });
  }

  /** The profiles of the accounts that exist (missing ones are absent from the map). */
  async profiles(sdkAppId: number, userIds: string[]): Promise<Map<string, UserProfile>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('accounts')
      .select(['user_id', 'nick', 'face_url', 'allow_type', 'profile_custom'])
      .where('sdkappid', '=', sdkAppId)
      .where('user_id', 'in', [...new Set(userIds)])
      .execute();
    return new Map(rows.map((r) => [r.user_id, toProfile(r)]));
  }

  /** Checks that every tag can be read (TagList of portrait_get); throws ProfileError. */
  async checkTags(sdkAppId: number, tags: string[]): Promise<void> {
    if (tags.length === 0) throw new ProfileError(ProfileErrorCode.InvalidRequest, 'TagList is empty');
    const rules = await this.#rules(sdkAppId);
    for (const tag of tags) ruleOf(rules, tag);
  }

  /** The declared custom fields of the app, with their types. */
  async customTags(sdkAppId: number): Promise<CustomTag[]> {
    const app = await this.apps.get(sdkAppId);
    return declaredTags(app?.settings);
  }

  async #rules(sdkAppId: number): Promise<Map<string, TagRule>> {
    const rules = new Map<string, TagRule>([
      [NICK_TAG, { kind: 'nick' }],
      [IMAGE_TAG, { kind: 'image' }],
      [ALLOW_TYPE_TAG, { kind: 'allowType' }],
    ]);
    for (const t of await this.customTags(sdkAppId))
      rules.set(`${CUSTOM_PREFIX}${t.name}`, { kind: 'custom', type: t.type });
    return rules;
  }
}

/** The value of one tag in a profile, or its empty value when never set. */
export function profileValue(profile: UserProfile, tag: string, customs: CustomTag[]): ProfileValue {
  if (tag === NICK_TAG) return profile.nick;
  if (tag === IMAGE_TAG) return profile.faceUrl;
  if (tag === ALLOW_TYPE_TAG) return profile.allowType;
  const set = profile.custom[tag];
  if (set !== undefined) return set;
  const declared = customs.find((c) => `${CUSTOM_PREFIX}${c.name}` === tag);
  return declared?.type === 'integer' ? 0 : '';
}

export function declaredTags(settings: AppSettings | undefined): CustomTag[] {
  const parsed = customTagsSchema.safeParse(settings?.profileCustomTags ?? []);
  return parsed.success ? parsed.data : [];
}

function ruleOf(rules: Map<string, TagRule>, tag: string): TagRule {
  const rule = rules.get(tag);
  if (rule) return rule;
  if ((UNSUPPORTED_STANDARD_TAGS as readonly string[]).includes(tag))
    throw new ProfileError(
      ProfileErrorCode.TagNotFound,
      `${tag}: Pushline does not store this standard profile field (it stores ${NICK_TAG}, ${IMAGE_TAG}, ${ALLOW_TYPE_TAG} and declared custom fields)`,
    );
  if (tag.startsWith(CUSTOM_PREFIX))
    throw new ProfileError(
      ProfileErrorCode.TagNotFound,
      `${tag}: custom profile field not declared for this app (declare it first: pushline app set <sdkappid> --profile-custom-tags ${tag.slice(CUSTOM_PREFIX.length)})`,
    );
  throw new ProfileError(ProfileErrorCode.TagNotFound, `${tag}: no such profile field`);
}

function checkValue(tag: string, rule: TagRule, value: unknown): ProfileValue {
  if (rule.kind === 'allowType') {
    if (typeof value !== 'string' || !(ALLOW_TYPES as readonly string[]).includes(value))
      throw new ProfileError(
        ProfileErrorCode.InvalidRequest,
        `${tag} must be one of ${ALLOW_TYPES.join(', ')}`,
      );
    return value;
  }
  if (rule.kind === 'custom' && rule.type === 'integer') {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
      throw new ProfileError(
        ProfileErrorCode.InvalidRequest,
        `${tag} is an integer field: give a non-negative integer`,
      );
    return value;
  }
  if (typeof value !== 'string')
    throw new ProfileError(ProfileErrorCode.InvalidRequest, `${tag} is a string field: give a string`);
  if (Buffer.byteLength(value) > MAX_PROFILE_VALUE_BYTES)
    throw new ProfileError(
      ProfileErrorCode.ValueTooLong,
      `${tag} is ${Buffer.byteLength(value)} bytes; at most ${MAX_PROFILE_VALUE_BYTES}`,
    );
  return value;
}

function parseCustom(json: string): Record<string, ProfileValue> {
  const value = JSON.parse(json) as unknown;
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, ProfileValue>)
    : {};
}

function toProfile(row: {
  user_id: string;
  nick: string;
  face_url: string;
  allow_type: string;
  profile_custom: string;
}): UserProfile {
  return {
    userId: row.user_id,
    nick: row.nick,
    faceUrl: row.face_url,
    allowType: (ALLOW_TYPES as readonly string[]).includes(row.allow_type)
      ? (row.allow_type as AllowType)
      : DEFAULT_ALLOW_TYPE,
    custom: parseCustom(row.profile_custom),
  };
}
