// profile/portrait_set and profile/portrait_get (docs/internals/tencent-im.md#profiles). The fields, limits
// and codes are apps/profiles.ts's, shared with the gateway's setSelfInfo and getUsersInfo.
import { z } from 'zod';
import { ProfileError, ProfileErrorCode, type ProfileService, profileValue } from '../../apps/profiles.js';
import { userIdProblem } from '../../apps/user-id.js';
import { defineCommand, type V4Command, V4Error } from './command.js';

/** Accounts per portrait_get (Tencent: at most 100). */
export const MAX_PORTRAIT_GET_ACCOUNTS = 100;

const profileValueSchema = z.union([z.string(), z.number()]);

export function profileCommands(profiles: ProfileService): V4Command[] {
  const invalid = { default: ProfileErrorCode.InvalidRequest };
  return [
    defineCommand({
      name: 'profile/portrait_set',
      body: z.object({
        From_Account: z.string(),
        ProfileItem: z.array(z.object({ Tag: z.string(), Value: profileValueSchema })).min(1),
      }),
      invalid,
      async handle({ app }, body) {
        const problem = userIdProblem(body.From_Account);
        if (problem) throw new V4Error(ProfileErrorCode.InvalidRequest, `From_Account ${problem}`);
        await asV4(() => profiles.set(app.sdkAppId, body.From_Account, body.ProfileItem));
        return { ErrorDisplay: '' };
      },
    }),

    defineCommand({
      name: 'profile/portrait_get',
      body: z.object({
        To_Account: z.array(z.string()).min(1),
        TagList: z.array(z.string()).min(1),
      }),
      invalid,
      async handle({ app }, body) {
        if (body.To_Account.length > MAX_PORTRAIT_GET_ACCOUNTS)
          throw new V4Error(
            ProfileErrorCode.InvalidRequest,
            `To_Account holds ${body.To_Account.length} accounts; at most ${MAX_PORTRAIT_GET_ACCOUNTS} per request`,
          );
        const tags = [...new Set(body.TagList)];
        await asV4(() => profiles.checkTags(app.sdkAppId, tags));
        const [found, customs] = await Promise.all([
          profiles.profiles(app.sdkAppId, body.To_Account),
          profiles.customTags(app.sdkAppId),
        ]);
        const fail: string[] = [];
        const items = body.To_Account.map((userId) => {
          const profile = found.get(userId);
          if (!profile) {
            fail.push(userId);
            return {
              To_Account: userId,
              ProfileItem: [],
              ResultCode: ProfileErrorCode.AccountNotFound,
              ResultInfo: `account "${userId}" does not exist`,
            };
          }
          return {
            To_Account: userId,
            ProfileItem: tags.map((Tag) => ({ Tag, Value: profileValue(profile, Tag, customs) })),
            ResultCode: 0,
            ResultInfo: '',
          };
        });
        return { UserProfileItem: items, FailAccount: fail, ErrorDisplay: '' };
      },
    }),
  ];
}

async function asV4<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof ProfileError) throw new V4Error(err.code, err.message);
    throw err;
  }
}
