// Importing history from Tencent IM or another system: openim/importmsg (one one-to-one message with its
// original time). Fields, limits and codes: docs/internals/tencent-im.md#importing-messages.
import { z } from 'zod';
import type { AccountsService } from '../../apps/accounts.js';
import type { ImportService } from '../../messaging/import.js';
import { defineCommand, type V4Command, V4Error } from './command.js';
import { checkRequestSize, MAX_BODY_BYTES, parseMsgBody, uint32 } from './send-common.js';

/** Tencent's openim codes for importmsg (the mapping of each check is our reading where Tencent ties none). */
export const ImportError = {
  Invalid: 90001,
  BodyInvalid: 90002,
  ToAccount: 90003,
  MsgRandom: 90005,
  MsgTimeStamp: 90006,
  BodyNotArray: 90007,
  FormatInvalid: 90010,
  ToNotRegistered: 90012,
  FromNotFound: 90048,
  TooLong: 80002,
} as const;

export interface ImportCommandDeps {
  accounts: AccountsService;
  imports: ImportService;
}

export function importCommands(deps: ImportCommandDeps): V4Command[] {
  return [
    defineCommand({
      name: 'openim/importmsg',
      body: z.object({
        // Tencent accepts 2 (history: no unread, nothing sent to devices) and 5 (real time: unread counted).
        SyncFromOldSystem: z.union([z.literal(2), z.literal(5)]),
        From_Account: z.string().min(1),
        To_Account: z.string().min(1),
        MsgSeq: uint32,
        MsgRandom: uint32,
        MsgTimeStamp: uint32,
        MsgBody: z.array(z.unknown()),
        CloudCustomData: z.string().optional(),
      }),
      invalid: {
        default: ImportError.Invalid,
        fields: {
          To_Account: ImportError.ToAccount,
          MsgRandom: ImportError.MsgRandom,
          MsgTimeStamp: ImportError.MsgTimeStamp,
          MsgBody: ImportError.BodyNotArray,
          CloudCustomData: ImportError.FormatInvalid,
        },
      },
      async handle(ctx, body) {
        const elements = parseMsgBody(body.MsgBody, {
          invalidCode: ImportError.BodyInvalid,
          tooLongCode: ImportError.TooLong,
          maxBytes: MAX_BODY_BYTES,
        });
        checkRequestSize(body);
        const found = await deps.accounts.existing(ctx.app.sdkAppId, [body.From_Account, body.To_Account]);
        if (!found.has(body.From_Account)) {
          throw new V4Error(ImportError.FromNotFound, `From_Account "${body.From_Account}" does not exist`);
        }
        if (!found.has(body.To_Account)) {
          throw new V4Error(ImportError.ToNotRegistered, `To_Account "${body.To_Account}" is not registered`);
        }
        await deps.imports.importC2C({
          sdkAppId: ctx.app.sdkAppId,
          mode: body.SyncFromOldSystem,
          from: body.From_Account,
          to: body.To_Account,
          msgSeq: body.MsgSeq,
          msgRandom: body.MsgRandom,
          msgTime: body.MsgTimeStamp,
          body: elements,
          cloudCustomData: body.CloudCustomData,
        });
        return {};
      },
    }),
  ];
}
