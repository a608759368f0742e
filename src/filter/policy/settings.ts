import type { Kysely } from 'kysely';
import type { DB } from '../../db/tables.js';
import { AppError } from '../../errors/errors.js';
import { isCategoryId } from '../categories.js';
import { ensureFilterPolicy } from './ensure.js';
import { parseJson } from './rows.js';
import { policyWrite, type WriteScope } from './write.js';

export interface SettingsView {
  timeZone: string;
  fallbackProfileId: string | null;
  alertingCategories: string[];
  policyVersion: number;
}

export async function getSettings(db: Kysely<DB>, schoolId: string, now: Date): Promise<SettingsView> {
  await ensureFilterPolicy(db, schoolId, () => now);
  const row = await db.selectFrom('filter_settings').selectAll().where('school_id', '=', schoolId).executeTakeFirstOrThrow();
  return {
    timeZone: row.time_zone,
    fallbackProfileId: row.fallback_profile_id,
    alertingCategories: parseJson<string[]>(row.alerting_categories, []),
    policyVersion: Number(row.policy_version),
  };
}

const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

export async function updateSettings(
  db: Kysely<DB>,
  scope: WriteScope,
  input: { timeZone?: string; fallbackProfileId?: string | null; alertingCategories?: string[]; reason: string },
): Promise<SettingsView> {
  if (input.timeZone !== undefined && !isTimeZone(input.timeZone)) {
    throw new AppError('validation_failed', `Unknown time zone: ${input.timeZone} (use an IANA name such as Europe/London)`);
  }
  const unknown = input.alertingCategories?.find((c) => !isCategoryId(c));
  if (unknown) throw new AppError('validation_failed', `Unknown category: ${unknown}`);
  await policyWrite(db, scope, input.reason, async (trx) => {
    const before = await getSettings(trx, scope.schoolId, scope.now);
    if (input.fallbackProfileId) {
      const p = await trx
        .selectFrom('filter_profiles')
        .select('id')
        .where('id', '=', input.fallbackProfileId)
        .where('school_id', '=', scope.schoolId)
        .executeTakeFirst();
      if (!p) throw new AppError('validation_failed', 'That profile is not one of this school');
    }
    await trx
      .updateTable('filter_settings')
      .set({
        time_zone: input.timeZone ?? before.timeZone,
        fallback_profile_id: input.fallbackProfileId === undefined ? before.fallbackProfileId : input.fallbackProfileId,
        alerting_categories: JSON.stringify(input.alertingCategories ? [...new Set(input.alertingCategories)] : before.alertingCategories),
      })
      .where('school_id', '=', scope.schoolId)
      .execute();
    const after = await getSettings(trx, scope.schoolId, scope.now);
    const { policyVersion: _b, ...b } = before;
    const { policyVersion: _a, ...a } = after;
    return {
      result: null,
      entity: 'settings',
      entityId: scope.schoolId,
      change: 'update',
      summary: 'Changed the filtering settings',
      before: b,
      after: a,
    };
  });
  return getSettings(db, scope.schoolId, scope.now);
}
