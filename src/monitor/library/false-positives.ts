import type { Kysely } from 'kysely';
import { type Actor, can } from '../../access/policy.js';
import type { DB } from '../../db/tables.js';

/** How often one library entry's alerts turned out to be false positives. */
export interface FalsePositiveRate {
  /** Every alert the entry raised, still open or not. */
  alerts: number;
  falsePositives: number;
  /** Alerts a DSL has decided on: false positive, escalated or closed. */
  resolved: number;
  /** falsePositives / resolved; null until some alert has been decided, as an open alert says nothing yet. */
  rate: number | null;
}

/**
 * False-positive rates of a school's library entries, from its alerts grouped by entry. A DSL
 * sees them in the library editor to find the entries that cry wolf. With `viewer`, only the
 * alerts the `monitor.alert.read` rule lets the viewer see are counted: a count that moves is
 * news of an alert, so no one learns of alerts about themselves, or of any if they see none.
 *
 * @example
 *   (await falsePositiveRates(db, schoolId, actor)).get('en-suicide-kms')?.rate; // 0.25
 */
export async function falsePositiveRates(db: Kysely<DB>, schoolId: string, viewer?: Actor): Promise<Map<string, FalsePositiveRate>> {
  let query = db
    .selectFrom('monitor_alerts')
    .select(['entry_id', 'status', 'profile', (eb) => eb.fn.countAll().as('n')])
    .where('school_id', '=', schoolId);
  if (viewer) query = query.where((eb) => eb.or([eb('person_id', 'is', null), eb('person_id', '!=', viewer.personId)]));
  const rows = await query.groupBy(['entry_id', 'status', 'profile']).execute();
  const rates = new Map<string, FalsePositiveRate>();
  for (const row of rows) {
    // The viewer's own alerts are left out above; the rule decides the rest by whom they are about.
    const seen =
      !viewer ||
      can(viewer, 'monitor.alert.read', {
        type: 'monitor_alert',
        schoolId,
        trustId: viewer.trustId,
        personId: null,
        aboutStaff: row.profile === 'staff',
      });
    if (!seen) continue;
    const n = Number(row.n);
    const rate = rates.get(row.entry_id) ?? { alerts: 0, falsePositives: 0, resolved: 0, rate: null };
    rate.alerts += n;
    if (row.status === 'false_positive') rate.falsePositives += n;
    if (row.status !== 'open') rate.resolved += n;
    rates.set(row.entry_id, rate);
  }
  for (const rate of rates.values()) rate.rate = rate.resolved > 0 ? rate.falsePositives / rate.resolved : null;
  return rates;
}
