// all_member_push: user tags (im_add_tag, im_remove_tag, im_get_tag, im_remove_all_tags) and attributes
// (im_set_attr_name, im_get_attr_name, im_set_attr, im_get_attr, im_remove_attr), with Tencent's shapes and
// codes (reference/tencent-im.md §1.8). At most 100 accounts per request (90018). Accounts that do not exist
// are listed in `ErrorList` with 70107, as Tencent's timpush API does; the other accounts are applied.
import { z } from 'zod';
import type { AttributeStore } from '../../push/audience/attributes.js';
import { AudienceError, PushErrorCode } from '../../push/audience/errors.js';
import type { TagStore, UserFailure } from '../../push/audience/tags.js';
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
  UserTags: z.array(z.object({ To_Account: z.string(), Tags: z.array(z.string()) })),
});

export function tagAttrCommands(tags: TagStore, attrs: AttributeStore): V4Command[] {
  const invalid = { default: PushErrorCode.Format };
  const toTags = (body: z.infer<typeof userTags>) =>
    body.UserTags.map((u) => ({ userId: u.To_Account, tags: u.Tags }));
  return [
    defineCommand({
      name: 'all_member_push/im_add_tag',
      body: userTags,
      invalid,
      handle: async ({ app }, body) =>
        errorList(await audienceCall(() => tags.add(app.sdkAppId, toTags(body)))),
    }),
    defineCommand({
      name: 'all_member_push/im_remove_tag',
      body: userTags,
      invalid,
      handle: async ({ app }, body) =>
        errorList(await audienceCall(() => tags.remove(app.sdkAppId, toTags(body)))),
    }),
    defineCommand({
      name: 'all_member_push/im_get_tag',
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
      name: 'all_member_push/im_remove_all_tags',
      body: accountList,
      invalid,
      handle: async ({ app }, body) =>
        errorList(await audienceCall(() => tags.removeAll(app.sdkAppId, body.To_Account))),
    }),

    defineCommand({
      name: 'all_member_push/im_set_attr_name',
      body: z.object({ AttrNames: z.record(z.string(), z.string()) }),
      invalid,
      async handle({ app }, body) {
        await audienceCall(() => attrs.setNames(app.sdkAppId, body.AttrNames));
        return {};
      },
    }),
    defineCommand({
      name: 'all_member_push/im_get_attr_name',
      body: z.object({}),
      invalid,
      handle: async ({ app }) => ({ AttrNames: await attrs.getNames(app.sdkAppId) }),
    }),
    defineCommand({
      name: 'all_member_push/im_set_attr',
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
      name: 'all_member_push/im_get_attr',
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
      name: 'all_member_push/im_remove_attr',
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
