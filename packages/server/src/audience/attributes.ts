// User attributes: an app names up to ten attributes ("0".."9" -> name, im_set_attr_name); each user holds at
// most one value (≤ 50 bytes) per attribute. Values are stored by attribute number, so renaming an attribute
// keeps its values. Attribute pushes (AttrsAnd/AttrsOr) match values exactly.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { AudienceError, AudienceLimits, byteLength, PushErrorCode } from './errors.js';
import { checkAccountCount, existingAccounts, type UserFailure, unknownAccount } from './tags.js';

export interface UserAttrs {
  userId: string;
  /** name -> value */
  attrs: Record<string, string>;
}

function invalid(message: string): AudienceError {
  return new AudienceError(PushErrorCode.InvalidAttribute, message);
}

export function checkAttrValue(name: string, value: string): void {
  if (value === '')
    throw invalid(`the value of attribute "${name}" is empty: use im_remove_attr to clear it`);
  if (byteLength(value) > AudienceLimits.maxAttrValueBytes) {
    throw invalid(
      `the value of attribute "${name}" is ${byteLength(value)} bytes; at most ${AudienceLimits.maxAttrValueBytes}`,
    );
  }
}

export class AttributeStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Sets the names of some attribute numbers; other numbers keep theirs. Names are unique per app. */
  async setNames(sdkAppId: number, names: Record<string, string>, now = Date.now()): Promise<void> {
    const entries = Object.entries(names);
    if (entries.length === 0) throw new AudienceError(PushErrorCode.Format, 'AttrNames must not be empty');
    for (const [key, name] of entries) {
      if (!/^[0-9]$/.test(key)) {
        throw invalid(`attribute number "${key}" is not valid: use "0" to "${AudienceLimits.attrSlots - 1}"`);
      }
      if (name === '' || byteLength(name) > AudienceLimits.maxAttrNameBytes) {
        throw invalid(`attribute name "${name}" must be 1 to ${AudienceLimits.maxAttrNameBytes} bytes`);
      }
    }
    await this.db.transaction().execute(async (trx) => {
      const current = await trx
        .selectFrom('attr_names')
        .select(['slot', 'name'])
        .where('sdkappid', '=', sdkAppId)
        .execute();
      const merged = new Map(current.map((r) => [r.slot, r.name]));
      for (const [key, name] of entries) merged.set(Number(key), name);
      const seen = new Map<string, number>();
      for (const [slot, name] of merged) {
        const other = seen.get(name);
        if (other !== undefined) {
          throw invalid(`attribute name "${name}" would be used by both "${other}" and "${slot}"`);
        }
        seen.set(name, slot);
      }
      // Delete then insert, so that swapping two names does not trip the unique (app, name) index midway.
      const slots = entries.map(([key]) => Number(key));
      await trx
        .deleteFrom('attr_names')
        .where('sdkappid', '=', sdkAppId)
        .where('slot', 'in', slots)
        .execute();
      await trx
        .insertInto('attr_names')
        .values(
          entries.map(([key, name]) => ({ sdkappid: sdkAppId, slot: Number(key), name, updated_at: now })),
        )
        .execute();
    });
  }

  /** The app's attribute names as Tencent answers them: {"0": "sex", ...}. */
  async getNames(sdkAppId: number): Promise<Record<string, string>> {
    const rows = await this.db
      .selectFrom('attr_names')
      .select(['slot', 'name'])
      .where('sdkappid', '=', sdkAppId)
      .orderBy('slot')
      .execute();
    return Object.fromEntries(rows.map((r) => [String(r.slot), r.name]));
  }

  /** name -> attribute number. */
  async slotsByName(sdkAppId: number): Promise<Map<string, number>> {
    const names = await this.getNames(sdkAppId);
    return new Map(Object.entries(names).map(([slot, name]) => [name, Number(slot)]));
  }

  /** Sets attribute values; every name must be set with im_set_attr_name first (else 90033, nothing written). */
  async set(sdkAppId: number, entries: UserAttrs[], now = Date.now()): Promise<UserFailure[]> {
    checkAccountCount('UserAttrs', entries.length);
    const slots = await this.slotsByName(sdkAppId);
    const rows: Database['user_attrs'][] = [];
    for (const e of entries) {
      const pairs = Object.entries(e.attrs);
      if (pairs.length === 0)
        throw new AudienceError(PushErrorCode.Format, `Attrs of "${e.userId}" is empty`);
      for (const [name, value] of pairs) {
        const slot = slots.get(name);
        if (slot === undefined)
          throw invalid(`attribute "${name}" is not defined: name it with im_set_attr_name`);
        checkAttrValue(name, value);
        rows.push({ sdkappid: sdkAppId, user_id: e.userId, slot, value, updated_at: now });
      }
    }
    return this.db.transaction().execute(async (trx) => {
      const known = await existingAccounts(trx, sdkAppId, [...new Set(entries.map((e) => e.userId))]);
      const apply = rows.filter((r) => known.has(r.user_id));
      // One statement per row: a later entry for the same user and attribute wins, as in the request.
      for (const row of apply) {
        await trx
          .insertInto('user_attrs')
          .values(row)
          .onConflict((oc) =>
            oc.columns(['sdkappid', 'user_id', 'slot']).doUpdateSet({ value: row.value, updated_at: now }),
          )
          .execute();
      }
      return [...new Set(entries.map((e) => e.userId))].filter((id) => !known.has(id)).map(unknownAccount);
    });
  }

  /** Removes the named attributes of each user (names must be defined, else 90033). */
  async remove(sdkAppId: number, entries: { userId: string; names: string[] }[]): Promise<UserFailure[]> {
    checkAccountCount('UserAttrs', entries.length);
    const slots = await this.slotsByName(sdkAppId);
    const plan = entries.map((e) => {
      if (e.names.length === 0)
        throw new AudienceError(PushErrorCode.Format, `Attrs of "${e.userId}" is empty`);
      return {
        userId: e.userId,
        slots: e.names.map((name) => {
          const slot = slots.get(name);
          if (slot === undefined) throw invalid(`attribute "${name}" is not defined`);
          return slot;
        }),
      };
    });
    return this.db.transaction().execute(async (trx) => {
      const ids = [...new Set(plan.map((p) => p.userId))];
      const known = await existingAccounts(trx, sdkAppId, ids);
      for (const p of plan) {
        if (!known.has(p.userId)) continue;
        await trx
          .deleteFrom('user_attrs')
          .where('sdkappid', '=', sdkAppId)
          .where('user_id', '=', p.userId)
          .where('slot', 'in', p.slots)
          .execute();
      }
      return ids.filter((id) => !known.has(id)).map(unknownAccount);
    });
  }

  /** Each existing user's attributes by name (values of unnamed numbers are not shown). */
  async get(sdkAppId: number, userIds: string[]): Promise<{ users: UserAttrs[]; failures: UserFailure[] }> {
    checkAccountCount('To_Account', userIds.length);
    const ids = [...new Set(userIds)];
    const names = await this.getNames(sdkAppId);
    const known = await existingAccounts(this.db, sdkAppId, ids);
    const rows = await this.db
      .selectFrom('user_attrs')
      .select(['user_id', 'slot', 'value'])
      .where('sdkappid', '=', sdkAppId)
      .where('user_id', 'in', ids)
      .orderBy('slot')
      .execute();
    const byUser = new Map<string, Record<string, string>>();
    for (const r of rows) {
      const name = names[String(r.slot)];
      if (name === undefined) continue;
      const attrs = byUser.get(r.user_id) ?? {};
      attrs[name] = r.value;
      byUser.set(r.user_id, attrs);
    }
    return {
      users: ids.filter((id) => known.has(id)).map((userId) => ({ userId, attrs: byUser.get(userId) ?? {} })),
      failures: ids.filter((id) => !known.has(id)).map(unknownAccount),
    };
  }
}
