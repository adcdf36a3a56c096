// im_open_login_svc: account_import, multiaccount_import, account_delete, account_check, kick. Limits and
// codes as in docs/internals/tencent-im.md#accounts; both `UserID` and the legacy `Identifier` work.
import { z } from 'zod';
import {
  type AccountProfile,
  type AccountsService,
  isValidUserId,
  userIdProblem,
} from '../../apps/accounts.js';
import { defineCommand, RestError, type V4Command, V4Error } from './command.js';

const MAX_BATCH = 100;
const MAX_PROFILE_FIELD_BYTES = 500;
const FIELD_TOO_LONG = 40601;

export interface AccountEvents {
  /** Called after an admin kick so live sessions and push bindings can be ended. */
  onKick?: (sdkAppId: number, userId: string) => Promise<void> | void;
  /** Called after accounts are deleted. */
  onDelete?: (sdkAppId: number, userIds: string[]) => Promise<void> | void;
}

const userRef = z.object({ UserID: z.string().optional(), Identifier: z.string().optional() });

function userIdOf(ref: { UserID?: string | undefined; Identifier?: string | undefined }): string {
  const id = ref.UserID ?? ref.Identifier;
  if (id === undefined) throw new V4Error(RestError.InvalidParameters, 'UserID is required');
  return id;
}

function requireValidUserId(userId: string): void {
  const problem = userIdProblem(userId);
  if (problem) throw new V4Error(RestError.InvalidParameters, `UserID ${problem}`);
}

function checkProfileField(name: string, value: string | undefined): void {
  if (value !== undefined && Buffer.byteLength(value) > MAX_PROFILE_FIELD_BYTES) {
    throw new V4Error(FIELD_TOO_LONG, `${name} is longer than ${MAX_PROFILE_FIELD_BYTES} bytes`);
  }
}

function checkBatch(name: string, length: number): void {
  if (length === 0) throw new V4Error(RestError.InvalidParameters, `${name} must not be empty`);
  if (length > MAX_BATCH) {
    throw new V4Error(
      RestError.BatchCount,
      `${name} holds ${length} accounts; at most ${MAX_BATCH} per request`,
    );
  }
}

export function accountCommands(accounts: AccountsService, events: AccountEvents = {}): V4Command[] {
  const invalid = { default: RestError.InvalidParameters };
  return [
    defineCommand({
      name: 'im_open_login_svc/account_import',
      body: userRef.extend({ Nick: z.string().optional(), FaceUrl: z.string().optional() }),
      invalid,
      examples: [{ UserID: 'alice', Nick: 'Alice' }, { Identifier: 'bob' }],
      async handle({ app }, body) {
        const userId = userIdOf(body);
        requireValidUserId(userId);
        checkProfileField('Nick', body.Nick);
        checkProfileField('FaceUrl', body.FaceUrl);
        await accounts.import(app.sdkAppId, [{ userId, nick: body.Nick, faceUrl: body.FaceUrl }]);
        return {};
      },
    }),

    defineCommand({
      name: 'im_open_login_svc/multiaccount_import',
      body: z.object({
        AccountList: z
          .array(
            z.object({ UserID: z.string(), Nick: z.string().optional(), FaceUrl: z.string().optional() }),
          )
          .optional(),
        Accounts: z.array(z.string()).optional(),
      }),
      invalid,
      examples: [
        { AccountList: [{ UserID: 'm1', Nick: 'M1' }, { UserID: 'm2' }] },
        { Accounts: ['m3', 'm4'] },
      ],
      async handle({ app }, body) {
        const list: AccountProfile[] | undefined =
          body.AccountList?.map((a) => ({ userId: a.UserID, nick: a.Nick, faceUrl: a.FaceUrl })) ??
          body.Accounts?.map((userId) => ({ userId }));
        if (!list)
          throw new V4Error(RestError.InvalidParameters, 'AccountList (or legacy Accounts) is required');
        checkBatch('AccountList', list.length);
        const failed: string[] = [];
        const good = list.filter((p) => {
          const ok =
            isValidUserId(p.userId) &&
            Buffer.byteLength(p.nick ?? '') <= MAX_PROFILE_FIELD_BYTES &&
            Buffer.byteLength(p.faceUrl ?? '') <= MAX_PROFILE_FIELD_BYTES;
          if (!ok) failed.push(p.userId);
          return ok;
        });
        await accounts.import(app.sdkAppId, good);
        return { FailAccounts: failed };
      },
    }),

    defineCommand({
      name: 'im_open_login_svc/account_delete',
      body: z.object({ DeleteItem: z.array(userRef) }),
      invalid,
      async handle({ app }, body) {
        checkBatch('DeleteItem', body.DeleteItem.length);
        const ids = body.DeleteItem.map(userIdOf);
        const deleted = await accounts.delete(app.sdkAppId, ids);
        if (deleted.size > 0) await events.onDelete?.(app.sdkAppId, [...deleted]);
        return {
          ResultItem: ids.map((id) =>
            deleted.has(id)
              ? { ResultCode: 0, ResultInfo: '', UserID: id }
              : { ResultCode: RestError.AccountNotFound, ResultInfo: 'account does not exist', UserID: id },
          ),
        };
      },
    }),

    defineCommand({
      name: 'im_open_login_svc/account_check',
      body: z.object({ CheckItem: z.array(userRef) }),
      invalid,
      examples: [{ CheckItem: [{ UserID: 'alice' }, { UserID: 'bob' }] }],
      async handle({ app }, body) {
        checkBatch('CheckItem', body.CheckItem.length);
        const ids = body.CheckItem.map(userIdOf);
        const found = await accounts.existing(app.sdkAppId, ids);
        return {
          ResultItem: ids.map((id) => ({
            UserID: id,
            ResultCode: 0,
            ResultInfo: '',
            AccountStatus: found.has(id) ? 'Imported' : 'NotImported',
          })),
        };
      },
    }),

    defineCommand({
      name: 'im_open_login_svc/kick',
      body: userRef,
      invalid,
      async handle({ app }, body) {
        const userId = userIdOf(body);
        requireValidUserId(userId);
        if (!(await accounts.kick(app.sdkAppId, userId))) {
          throw new V4Error(RestError.AccountNotFound, `account "${userId}" does not exist`);
        }
        await events.onKick?.(app.sdkAppId, userId);
        return {};
      },
    }),
  ];
}
