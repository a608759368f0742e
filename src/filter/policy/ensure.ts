import type { Kysely } from 'kysely';
import { DEFAULT_ALERTING_CATEGORIES } from '../categories.js';
import { newId } from '../../db/ids.js';
import type { DB } from '../../db/tables.js';
import { DEFAULT_PROFILES, DEFAULT_TIME_ZONE, DEFAULT_WINDOWS } from './defaults.js';
import { matrixRow } from './rows.js';

const hasSettings = async (db: Kysely<DB>, schoolId: string): Promise<boolean> =>
  Boolean(await db.selectFrom('filter_settings').select('school_id').where('school_id', '=', schoolId).executeTakeFirst());

/**
 * Gives a school its starting policy (settings, the six default profiles with their matrix,
 * the school day) the first time anything asks for it. Idempotent and safe to race: the
 * settings row is the marker, and a second writer's insert fails on its primary key.
 *
 * @example
 *   await ensureFilterPolicy(db, schoolId, () => new Date());
 */
export async function ensureFilterPolicy(db: Kysely<DB>, schoolId: string, clock: () => Date): Promise<void> {
  if (await hasSettings(db, schoolId)) return;
  const at = clock().toISOString();
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('filter_settings')
        .values({
          school_id: schoolId,
          time_zone: DEFAULT_TIME_ZONE,
          fallback_profile_id: null,
          alerting_categories: JSON.stringify(DEFAULT_ALERTING_CATEGORIES),
          policy_version: 1,
          updated_at: at,
        })
        .execute();
      const profiles = DEFAULT_PROFILES.map((p, position) => ({ id: newId(), ...p, position }));
      await trx
        .insertInto('filter_profiles')
        .values(
          profiles.map((p) => ({
            id: p.id,
            school_id: schoolId,
            key: p.key,
            name: p.name,
            default_action: p.defaultAction,
            position: p.position,
            version: 1,
            created_at: at,
            updated_at: at,
          })),
        )
        .execute();
      await trx
        .insertInto('filter_matrix')
        .values(profiles.flatMap((p) => Object.entries(p.matrix).map(([category, cell]) => matrixRow(p.id, category, cell))))
        .execute();
      await trx
        .insertInto('filter_windows')
        .values(
          DEFAULT_WINDOWS.map((w) => ({
            id: newId(),
            school_id: schoolId,
            kind: w.kind,
            days: JSON.stringify(w.days),
            start_minute: w.startMinute,
            end_minute: w.endMinute,
          })),
        )
        .execute();
    });
  } catch (error) {
    // Another request set the school up between our check and our insert: that is success.
    if (await hasSettings(db, schoolId)) return;
    throw error;
  }
}
