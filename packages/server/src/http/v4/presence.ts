// openim/query_online_status (docs/internals/tencent-im.md#online-states) and the global do-not-disturb
// window, im_msg_db_logic/admin_set_do_not_disturb
// (docs/internals/tencent-im.md#receive-options-and-do-not-disturb).
import { z } from 'zod';
import type { AccountsService } from '../../apps/accounts.js';
import { dndFeatureEnabled } from '../../apps/settings.js';
import type { SessionStore } from '../../devices/sessions.js';
import { ReceiveOpt, SECONDS_PER_DAY } from '../../messaging/receive-options.js';
import type { ReceiveSettings } from '../../messaging/receive-settings.js';
import { defineCommand, RestError, type V4Command, V4Error } from './command.js';

const MAX_QUERY = 500;

export interface PresenceCommandDeps {
  accounts: AccountsService;
  sessions: SessionStore;
  receiveSettings: ReceiveSettings;
}

export function presenceCommands({ accounts, sessions, receiveSettings }: PresenceCommandDeps): V4Command[] {
  return [
    defineCommand({
      name: 'openim/query_online_status',
      body: z.object({
        To_Account: z.array(z.string().min(1)).min(1),
        IsNeedDetail: z.number().int().min(0).max(1).optional(),
      }),
      invalid: { default: RestError.InvalidParameters },
      async handle({ app }, body) {
        if (body.To_Account.length > MAX_QUERY) {
          throw new V4Error(
            RestError.BatchCount,
            `To_Account holds ${body.To_Account.length}; at most ${MAX_QUERY}`,
          );
        }
        const ids = [...new Set(body.To_Account)];
        const found = await accounts.existing(app.sdkAppId, ids);
        const instances = await sessions.instancesOf(
          app.sdkAppId,
          ids.filter((id) => found.has(id)),
        );
        const QueryResult = ids
          .filter((id) => found.has(id))
          .map((id) => {
            const live = instances.filter((i) => i.userId === id && i.state !== 'Offline');
            const State = live.some((i) => i.state === 'Online')
              ? 'Online'
              : live.length > 0
                ? 'PushOnline'
                : 'Offline';
            return {
              To_Account: id,
              State,
              // The legacy field name, for older server SDKs.
              Status: State,
              ...(body.IsNeedDetail === 1
                ? { Detail: live.map((i) => ({ Platform: i.platform, Status: i.state })) }
                : {}),
            };
          });
        const ErrorList = ids
          .filter((id) => !found.has(id))
          .map((id) => ({ To_Account: id, ErrorCode: RestError.AccountNotFound }));
        return { QueryResult, ErrorList };
      },
    }),

    defineCommand({
      name: 'im_msg_db_logic/admin_set_do_not_disturb',
      body: z.object({
        To_Account: z.string().min(1),
        StartTime: z.number().int().min(0),
        EndTime: z.number().int().min(0),
        IsRepeated: z.number().int().min(0).max(1).optional(),
        Level: z.number().int().min(0).max(1).optional(),
        /** Pushline: 1 turns the global do-not-disturb off. */
        Disable: z.number().int().min(0).max(1).optional(),
      }),
      invalid: { default: RestError.InvalidParameters },
      async handle({ app }, body) {
        if (!dndFeatureEnabled(app.settings)) {
          throw new V4Error(
            RestError.InvalidParameters,
            'the global do-not-disturb feature is off for this app: turn it on in the console (App settings)',
          );
        }
        const found = await accounts.existing(app.sdkAppId, [body.To_Account]);
        if (!found.has(body.To_Account)) {
          throw new V4Error(RestError.AccountNotFound, `account "${body.To_Account}" does not exist`);
        }
        if (body.EndTime <= body.StartTime && body.Disable !== 1) {
          throw new V4Error(RestError.InvalidParameters, 'EndTime must be later than StartTime');
        }
        const duration = Math.max(0, body.EndTime - body.StartTime);
        await receiveSettings.setDnd(app.sdkAppId, body.To_Account, {
          opt: body.Disable === 1 ? ReceiveOpt.Receive : ReceiveOpt.ReceiveNotNotify,
          startTime: body.StartTime,
          duration,
          repeat: body.IsRepeated === 1 ? (duration >= SECONDS_PER_DAY ? 'permanent' : 'daily') : 'once',
          level: body.Level ?? 0,
        });
        return { ErrorInfo: 'succeed' };
      },
    }),
  ];
}
