// User tags and attributes over v4, under both of Tencent's names:
// - all_member_push/im_add_tag, im_remove_tag, im_get_tag, im_remove_all_tags, im_set_attr_name,
//   im_get_attr_name, im_set_attr, im_get_attr, im_remove_attr (the all-member push API), and
// - timpush/add_tag (with "Replace"), remove_tag, get_tag, clear_all_tags, set_attr_name (with "AttrTypes"),
//   get_attr_name, set_attr, get_attr, remove_attr (the newer Push plugin API).
// Shapes and codes as in docs/internals/tencent-im.md#tags-and-attributes. At most 100 accounts per request
// (90018). Accounts that do not exist are listed in `ErrorList` with 70107; the other accounts are applied.
import { z } from 'zod';
import type { AttributeStore } from '../../audience/attributes.js';
import { AudienceError, PushErrorCode } from '../../audience/errors.js';
import type { TagStore, UserFailure } from '../../audience/tags.js';
import { defineCommand, type V4Command, V4Error } from './command.js';

/** Runs an audience operation, answering AudienceError with its Tencent code. */
export async function audienceCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AudienceError) throw new V4Error(err.code, err.message);
    throw err;
  }
}

function errorList(failures: UserFailure[]): Record<string, unknown> {
  if (failures.length === 0) return {};
  return {
    ErrorList: failures.map((f) => ({ To_Account: f.userId, ErrorCode: f.code, ErrorInfo: f.message })),
  };
}

const accountList = z.object({ To_Account: z.array(z.string()) });
const userTags = z.object({
  /** timpush/add_tag: 1 replaces all of each user's tags (up to 100), 0 (default) adds. */
  Replace: z.union([z.literal(0), z.literal(1)]).optional(),
  UserTags: z.array(z.object({ To_Account: z.string(), Tags: z.array(z.string()) })),
});

/** The command names of one of Tencent's two APIs. */
interface Names {
  addTag: string;
  removeTag: string;
  getTag: string;
  removeAllTags: string;
  setAttrName: string;
  getAttrName: string;
  setAttr: string;
  getAttr: string;
  removeAttr: string;
  /** The newer API also shows each attribute's account type (always 0, UserID, in Pushline). */
  attrTypes: boolean;
}

const LEGACY: Names = {
  addTag: 'all_member_push/im_add_tag',
  removeTag: 'all_member_push/im_remove_tag',
  getTag: 'all_member_push/im_get_tag',
  removeAllTags: 'all_member_push/im_remove_all_tags',
  setAttrName: 'all_member_push/im_set_attr_name',
  getAttrName: 'all_member_push/im_get_attr_name',
  setAttr: 'all_member_push/im_set_attr',
  getAttr: 'all_member_push/im_get_attr',
  removeAttr: 'all_member_push/im_remove_attr',
  attrTypes: false,
};

const TIMPUSH: Names = {
  addTag: 'timpush/add_tag',
  removeTag: 'timpush/remove_tag',
  getTag: 'timpush/get_tag',
  removeAllTags: 'timpush/clear_all_tags',
  setAttrName: 'timpush/set_attr_name',
  getAttrName: 'timpush/get_attr_name',
  setAttr: 'timpush/set_attr',
  getAttr: 'timpush/get_attr',
  removeAttr: 'timpush/remove_attr',
  attrTypes: true,
};

function commands(n: Names, tags: TagStore, attrs: AttributeStore): V4Command[] {
  const invalid = { default: PushErrorCode.Format };
  const toTags = (body: z.infer<typeof userTags>) =>
    body.UserTags.map((u) => ({ userId: u.To_Account, tags: u.Tags }));
  return [
    defineCommand({
      name: n.addTag,
      body: userTags,
      invalid,
      handle: async ({ app }, body) =>
        errorList(
          await audienceCall(() => tags.add(app.sdkAppId, toTags(body), { replace: body.Replace === 1 })),
        ),
    }),
    defineCommand({
      name: n.removeTag,
      body: userTags,
      invalid,
      handle: async ({ app }, body) =>
        errorList(await audienceCall(() => tags.remove(app.sdkAppId, toTags(body)))),
    }),
    defineCommand({
      name: n.getTag,
      body: accountList,
      invalid,
      async handle({ app }, body) {
        const { users, failures } = await audienceCall(() => tags.get(app.sdkAppId, body.To_Account));
        return {
          UserTags: users.map((u) => ({ To_Account: u.userId, Tags: u.tags })),
          ...errorList(failures),
        };
      },
    }),
    defineCommand({
      name: n.removeAllTags,
      body: accountList,
      invalid,
      handle: async ({ app }, body) =>
        errorList(await audienceCall(() => tags.removeAll(app.sdkAppId, body.To_Account))),
    }),

    defineCommand({
      name: n.setAttrName,
      body: z.object({
        AttrNames: z.record(z.string(), z.string()),
        /** Account type per attribute: 0 UserID. Tencent's 1 (RegistrationID) does not exist in Pushline. */
        AttrTypes: z.record(z.string(), z.number().int()).optional(),
      }),
      invalid,
      async handle({ app }, body) {
        for (const [key, type] of Object.entries(body.AttrTypes ?? {})) {
          if (!(key in body.AttrNames)) {
            throw new V4Error(
              PushErrorCode.InvalidAttribute,
              `AttrTypes names attribute "${key}", which AttrNames does not set`,
            );
          }
          if (type !== 0) {
            throw new V4Error(
              PushErrorCode.InvalidAttribute,
              `attribute "${key}": account type ${type} is not supported; Pushline attributes belong to UserIDs (type 0)`,
            );
          }
        }
        await audienceCall(() => attrs.setNames(app.sdkAppId, body.AttrNames));
        return {};
      },
    }),
    defineCommand({
      name: n.getAttrName,
      body: z.object({}),
      invalid,
      async handle({ app }) {
        const names = await attrs.getNames(app.sdkAppId);
        if (!n.attrTypes) return { AttrNames: names };
        return { AttrNames: names, AttrTypes: Object.fromEntries(Object.keys(names).map((k) => [k, 0])) };
      },
    }),
    defineCommand({
      name: n.setAttr,
      body: z.object({
        UserAttrs: z.array(z.object({ To_Account: z.string(), Attrs: z.record(z.string(), z.string()) })),
      }),
      invalid,
      async handle({ app }, body) {
        const entries = body.UserAttrs.map((u) => ({ userId: u.To_Account, attrs: u.Attrs }));
        return errorList(await audienceCall(() => attrs.set(app.sdkAppId, entries)));
      },
    }),
    defineCommand({
      name: n.getAttr,
      body: accountList,
      invalid,
      async handle({ app }, body) {
        const { users, failures } = await audienceCall(() => attrs.get(app.sdkAppId, body.To_Account));
        return {
          UserAttrs: users.map((u) => ({ To_Account: u.userId, Attrs: u.attrs })),
          ...errorList(failures),
        };
      },
    }),
    defineCommand({
      name: n.removeAttr,
      body: z.object({
        UserAttrs: z.array(z.object({ To_Account: z.string(), Attrs: z.array(z.string()) })),
      }),
      invalid,
      async handle({ app }, body) {
        const entries = body.UserAttrs.map((u) => ({ userId: u.To_Account, names: u.Attrs }));
        return errorList(await audienceCall(() => attrs.remove(app.sdkAppId, entries)));
      },
    }),
  ];
}

export function tagAttrCommands(tags: TagStore, attrs: AttributeStore): V4Command[] {
  return [...commands(LEGACY, tags, attrs), ...commands(TIMPUSH, tags, attrs)];
}
