/**
 * A school's monitoring settings: how alerts are graded per age profile, when the reports go
 * out and how long activity and alerts are kept. Stored as one JSON document per school;
 * a school that never changed anything runs on the defaults below.
 */
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import type { Kysely } from 'kysely';
import type { DB } from '../db/tables.js';
import { MONITOR_CATEGORIES, type MonitorCategory, SEVERITIES, type Severity } from './keywords/types.js';
import { MONITOR_PROFILES, type MonitorProfile } from './model.js';

const SeveritySchema = Type.Union(SEVERITIES.map((s) => Type.Literal(s)));

export const ProfileSettingsSchema = Type.Object(
  {
    /** Alerts of this person and category within the window are counted together. */
    riskWindowHours: Type.Integer({ minimum: 1, maximum: 24 * 90 }),
    /** When that count reaches this, the next alert is raised one severity (never above critical). */
    riskThreshold: Type.Integer({ minimum: 2, maximum: 1000 }),
    /** Matches below this severity raise no alert for this profile. */
    minimumSeverity: SeveritySchema,
    /** Per category, the severity every match in it takes for this profile instead of the library's. */
    categorySeverity: Type.Partial(
      Type.Object(Object.fromEntries(MONITOR_CATEGORIES.map((c) => [c, SeveritySchema])), { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);
export interface ProfileSettings {
  riskWindowHours: number;
  riskThreshold: number;
  minimumSeverity: Severity;
  categorySeverity: Partial<Record<MonitorCategory, Severity>>;
}

export const MonitorSettingsSchema = Type.Object(
  {
    profiles: Type.Object(Object.fromEntries(MONITOR_PROFILES.map((p) => [p, ProfileSettingsSchema])), {
      additionalProperties: false,
    }),
    /** The same person matching the same entry with the same words within this time adds to one alert's count. */
    foldWindowHours: Type.Integer({ minimum: 1, maximum: 24 * 30 }),
    retention: Type.Object(
      {
        /** Raw activity (the filter's decisions and ingested events), in days. */
        activityDays: Type.Integer({ minimum: 1, maximum: 3650 }),
        /** Alerts that were closed or marked false positives, in days after they were resolved. */
        alertDays: Type.Integer({ minimum: 1, maximum: 3650 }),
      },
      { additionalProperties: false },
    ),
    reports: Type.Object(
      {
        dailyEnabled: Type.Boolean(),
        /** Hour of the day (school's local time, Europe/London) the daily summary is sent. */
        dailyHour: Type.Integer({ minimum: 0, maximum: 23 }),
        weeklyEnabled: Type.Boolean(),
        /** Day of the week the weekly report is sent, 1 = Monday … 7 = Sunday. */
        weeklyDay: Type.Integer({ minimum: 1, maximum: 7 }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
/** What `MonitorSettingsSchema` accepts; written out because the schema is built from the id lists. */
export interface MonitorSettings {
  profiles: Record<MonitorProfile, ProfileSettings>;
  foldWindowHours: number;
  retention: { activityDays: number; alertDays: number };
  reports: { dailyEnabled: boolean; dailyHour: number; weeklyEnabled: boolean; weeklyDay: number };
}

const pupil = (minimumSeverity: Severity, riskThreshold: number): ProfileSettings => ({
  riskWindowHours: 24 * 7,
  riskThreshold,
  minimumSeverity,
  categorySeverity: {},
});

/**
 * Younger children get every match and a lower threshold: a primary pupil searching for
 * violence once is worth a look where a sixth-former studying a war poem is not.
 */
export const DEFAULT_MONITOR_SETTINGS: MonitorSettings = {
  profiles: {
    primary: { ...pupil('low', 2), categorySeverity: { pornography: 'high', violence: 'medium' } },
    ks3: pupil('low', 3),
    ks4: pupil('low', 3),
    sixth_form: pupil('medium', 4),
    staff: pupil('medium', 3),
    unknown: pupil('low', 3),
  },
  foldWindowHours: 24,
  retention: { activityDays: 90, alertDays: 365 },
  reports: { dailyEnabled: true, dailyHour: 7, weeklyEnabled: true, weeklyDay: 1 },
};

/** The school's settings, or the defaults; a stored document from an older version is completed with defaults. */
export async function loadMonitorSettings(db: Kysely<DB>, schoolId: string): Promise<MonitorSettings> {
  const row = await db.selectFrom('monitor_settings').select('settings').where('school_id', '=', schoolId).executeTakeFirst();
  if (!row) return structuredClone(DEFAULT_MONITOR_SETTINGS);
  const merged = mergeDefaults(JSON.parse(row.settings) as Partial<MonitorSettings>);
  return Value.Check(MonitorSettingsSchema, merged) ? (merged as MonitorSettings) : structuredClone(DEFAULT_MONITOR_SETTINGS);
}

/** Stores settings already validated against `MonitorSettingsSchema` at the route. */
export async function saveMonitorSettings(
  db: Kysely<DB>,
  schoolId: string,
  settings: MonitorSettings,
  by: string,
  at: Date,
): Promise<void> {
  const values = { settings: JSON.stringify(settings), updated_at: at.toISOString(), updated_by: by };
  await db
    .insertInto('monitor_settings')
    .values({ school_id: schoolId, ...values })
    .onConflict((oc) => oc.column('school_id').doUpdateSet(values))
    .execute();
}

function mergeDefaults(stored: Partial<MonitorSettings>): MonitorSettings {
  const d = structuredClone(DEFAULT_MONITOR_SETTINGS);
  const profiles = Object.fromEntries(
    MONITOR_PROFILES.map((p) => [p, { ...d.profiles[p], ...(stored.profiles?.[p] ?? {}) }]),
  ) as MonitorSettings['profiles'];
  return {
    profiles,
    foldWindowHours: stored.foldWindowHours ?? d.foldWindowHours,
    retention: { ...d.retention, ...(stored.retention ?? {}) },
    reports: { ...d.reports, ...(stored.reports ?? {}) },
  };
}
