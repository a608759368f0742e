import { Type } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { DB } from '../db/tables.js';
import { AppError } from '../errors/errors.js';
import { schoolToday } from '../training/rules.js';

export interface AgreementSettings {
  /** Month and day (`MM-DD`) the yearly renewal falls on; acceptances count for the school year they were made in. */
  renewOn: string;
  /**
   * Whether the web filter holds a person who has not accepted their current agreement at the
   * acceptance page before any other browsing (Key Stage 1 pupils never: a parent accepts for them).
   */
  holdInFilter: boolean;
}

const DEFAULT_AGREEMENT_SETTINGS: AgreementSettings = { renewOn: '09-01', holdInFilter: true };

/** A change to the settings: what is left out keeps its current value. */
export const AgreementSettingsSchema = Type.Object(
  {
    renewOn: Type.String({ pattern: '^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' }),
    holdInFilter: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** A renewal date that exists in every year: 29 February and 31 April are refused. */
export function checkRenewOn(renewOn: string): void {
  const [month, day] = renewOn.split('-').map(Number) as [number, number];
  const days = new Date(Date.UTC(2025, month, 0)).getUTCDate();
  if (!(day >= 1 && day <= days)) {
    throw new AppError('validation_failed', `Invalid request: renewOn ${renewOn} is not a date that falls every year`);
  }
}

export async function loadAgreementSettings(db: Kysely<DB>, schoolId: string): Promise<AgreementSettings> {
  const row = await db.selectFrom('agreement_settings').select('settings').where('school_id', '=', schoolId).executeTakeFirst();
  if (!row) return { ...DEFAULT_AGREEMENT_SETTINGS };
  return { ...DEFAULT_AGREEMENT_SETTINGS, ...(JSON.parse(row.settings) as Partial<AgreementSettings>) };
}

export async function saveAgreementSettings(
  db: Kysely<DB>,
  schoolId: string,
  settings: AgreementSettings,
  by: string | null,
  at: Date,
): Promise<void> {
  const values = { settings: JSON.stringify(settings), updated_at: at.toISOString(), updated_by: by };
  // One statement, so two first saves at once make one row rather than a key clash.
  await db
    .insertInto('agreement_settings')
    .values({ school_id: schoolId, ...values })
    .onConflict((oc) => oc.column('school_id').doUpdateSet(values))
    .execute();
}

/**
 * The school year a moment falls in, named by the years it spans (`2026-27`). The year turns
 * on the school's renewal date, on the calendar in England.
 *
 * @example
 *   schoolYearOf(new Date('2026-11-24T09:00:00Z'), '09-01'); // '2026-27'
 *   schoolYearOf(new Date('2027-08-31T12:00:00Z'), '09-01'); // '2026-27'
 */
export function schoolYearOf(at: Date, renewOn: string): string {
  const today = schoolToday(at);
  const year = Number(today.slice(0, 4));
  const monthDay = today.slice(5);
  const start = monthDay >= renewOn ? year : year - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}

/**
 * The moment the school year after the one `at` falls in begins: local midnight in England on
 * the next renewal date, which is 23:00 UTC the day before while clocks are on summer time.
 *
 * @example
 *   nextRenewalAt(new Date('2026-11-24T09:00:00Z'), '09-01'); // 2027-08-31T23:00:00.000Z
 */
export function nextRenewalAt(at: Date, renewOn: string): Date {
  const [month, day] = renewOn.split('-').map(Number) as [number, number];
  const year = Number(schoolYearOf(at, renewOn).slice(0, 4)) + 1;
  const midnightUtc = Date.UTC(year, month - 1, day);
  const anHourEarlier = new Date(midnightUtc - 3_600_000);
  return schoolYearOf(anHourEarlier, renewOn) === schoolYearOf(new Date(midnightUtc), renewOn) ? anHourEarlier : new Date(midnightUtc);
}
