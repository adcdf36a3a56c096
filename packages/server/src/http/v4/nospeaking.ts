// Global mute: openconfigsvr/setnospeaking and getnospeaking (docs/internals/tencent-im.md#global-mute). The
// send path refuses a muted sender (sns/guard.ts): C2C with 20012, group with 10017.
import { z } from 'zod';
import type { AccountsService } from '../../apps/accounts.js';
import { userIdProblem } from '../../apps/user-id.js';
import { MUTE_FOREVER, type MuteService } from '../../sns/mutes.js';
import { defineCommand, type V4Command, V4Error } from './command.js';

/** Tencent's codes of these two commands. */
export const NoSpeakingCode = {
  /** The body could not be read (a value of the wrong type or out of range: Pushline's reading). */
  Invalid: 130001,
  /** Set_Account / Get_Account is missing. */
  AccountMissing: 130004,
  /** Set_Account / Get_Account is not a valid, existing account. */
  AccountInvalid: 130005,
  /** Neither C2CmsgNospeakingTime nor GroupmsgNospeakingTime is given. */
  NothingToSet: 130008,
} as const;

const duration = z.number().int().min(0).max(MUTE_FOREVER);

export function noSpeakingCommands(deps: { accounts: AccountsService; mutes: MuteService }): V4Command[] {
  async function account(sdkAppId: number, field: string, value: unknown): Promise<string> {
    if (value === undefined) throw new V4Error(NoSpeakingCode.AccountMissing, `${field} is required`);
    if (typeof value !== 'string')
      throw new V4Error(NoSpeakingCode.AccountInvalid, `${field} must be a string`);
    const problem = userIdProblem(value);
    if (problem) throw new V4Error(NoSpeakingCode.AccountInvalid, `${field} ${problem}`);
    const found = await deps.accounts.existing(sdkAppId, [value]);
    if (!found.has(value))
      throw new V4Error(NoSpeakingCode.AccountInvalid, `${field} "${value}" does not exist`);
    return value;
  }
  return [
    defineCommand({
      name: 'openconfigsvr/setnospeaking',
      body: z.object({
        Set_Account: z.unknown().optional(),
        C2CmsgNospeakingTime: duration.optional(),
        GroupmsgNospeakingTime: duration.optional(),
      }),
      invalid: { default: NoSpeakingCode.Invalid },
      async handle({ app }, body) {
        const userId = await account(app.sdkAppId, 'Set_Account', body.Set_Account);
        if (body.C2CmsgNospeakingTime === undefined && body.GroupmsgNospeakingTime === undefined)
          throw new V4Error(
            NoSpeakingCode.NothingToSet,
            'give C2CmsgNospeakingTime, GroupmsgNospeakingTime or both',
          );
        await deps.mutes.set(app.sdkAppId, userId, body.C2CmsgNospeakingTime, body.GroupmsgNospeakingTime);
        return {};
      },
    }),
    defineCommand({
      name: 'openconfigsvr/getnospeaking',
      body: z.object({ Get_Account: z.unknown().optional() }),
      invalid: { default: NoSpeakingCode.Invalid },
      async handle({ app }, body) {
        const userId = await account(app.sdkAppId, 'Get_Account', body.Get_Account);
        const m = await deps.mutes.get(app.sdkAppId, userId);
        return { C2CmsgNospeakingTime: m.c2c, GroupmsgNospeakingTime: m.group };
      },
    }),
  ];
}
