/**
 * Storing a capture: folded into the open alert it repeats, or a new alert; graded up when the
 * person's risk in the category has accumulated. Runs inside the caller's transaction so the
 * read of the open alert and the write that follows it cannot interleave with another batch's.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { newId } from '../../db/ids.js';
import type { DB, MonitorAlertTable } from '../../db/tables.js';
import type { MonitorCategory, Severity } from '../keywords/types.js';
import { normalise, normalisedText } from '../matcher/index.js';
import type { MonitorProfile } from '../model.js';
import type { ProfileSettings } from '../settings.js';
import type { Excerpt } from './excerpt.js';
import { severityRank, withRisk } from './grade.js';

/** One match of one event, graded for its person and ready to store. */
export interface Capture {
  schoolId: string;
  personId: string | null;
  who: string;
  profile: MonitorProfile;
  category: MonitorCategory;
  /** After the profile's override, before any risk raise. */
  baseSeverity: Severity;
  entryId: string;
  term: string;
  source: string;
  eventKind: string;
  eventId: string;
  device: string | null;
  url: string | null;
  excerpt: Excerpt;
  at: Date;
  keywordsVersion: number;
}

export interface Recorded {
  alertId: string;
  severity: Severity;
  /** A new alert, not a repeat folded into an open one. */
  created: boolean;
  /** Critical now and was not before this capture (a new critical alert counts). */
  becameCritical: boolean;
}

const HOUR_MS = 3_600_000;

/**
 * The same person (or, unattributed, the same username or address), the same entry and the
 * same words after normalisation: "k1ll mys3lf" repeats "kill myself". Hashed so a long name
 * or address does not make a long index key.
 */
export function foldKeyOf(capture: Pick<Capture, 'schoolId' | 'personId' | 'who' | 'entryId' | 'excerpt'>): string {
  const subject = capture.personId ? `person:${capture.personId}` : `who:${capture.who}`;
  const words = normalisedText(normalise(capture.excerpt.matched));
  return createHash('sha256')
    .update(JSON.stringify([capture.schoolId, subject, capture.entryId, words]))
    .digest('hex');
}

/**
 * How often this person matched this category within the window: every repeat counts, so
 * fifty searches weigh as fifty, and alerts a DSL marked false positives do not count at all.
 */
async function occurrencesInWindow(trx: Kysely<DB>, capture: Capture, since: string): Promise<number> {
  let query = trx
    .selectFrom('monitor_alerts')
    .select((eb) => eb.fn.sum<number | string | null>('count').as('total'))
    .where('school_id', '=', capture.schoolId)
    .where('category', '=', capture.category)
    .where('status', '!=', 'false_positive')
    .where('last_at', '>=', since)
    // What came after this capture (a replayed log arriving late) is not its past.
    .where('first_at', '<=', capture.at.toISOString());
  query = capture.personId
    ? query.where('person_id', '=', capture.personId)
    : query.where('person_id', 'is', null).where('who', '=', capture.who);
  const row = await query.executeTakeFirst();
  return Number(row?.total ?? 0);
}

/**
 * Folds the capture into the open alert it repeats, or inserts a new alert. Pass a
 * transaction, and do not run two for one school at once (the analyser serialises them).
 *
 * @example
 *   await db.transaction().execute((trx) => recordCapture(trx, capture, settings.profiles.ks3, 24, now));
 */
export async function recordCapture(
  trx: Kysely<DB>,
  capture: Capture,
  profile: ProfileSettings,
  foldWindowHours: number,
  now: Date,
): Promise<Recorded> {
  const at = capture.at.toISOString();
  const foldKey = foldKeyOf(capture);
  const foldMs = foldWindowHours * HOUR_MS;
  // Within the window on either side: a replayed log can bring a capture from long before the alert began.
  const open = await trx
    .selectFrom('monitor_alerts')
    .selectAll()
    .where('school_id', '=', capture.schoolId)
    .where('fold_key', '=', foldKey)
    .where('status', '=', 'open')
    .where('last_at', '>=', new Date(capture.at.getTime() - foldMs).toISOString())
    .where('first_at', '<=', new Date(capture.at.getTime() + foldMs).toISOString())
    .orderBy('last_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const earlier = await occurrencesInWindow(trx, capture, new Date(capture.at.getTime() - profile.riskWindowHours * HOUR_MS).toISOString());
  const risk = withRisk(open?.base_severity ?? capture.baseSeverity, earlier + 1, profile);

  if (open) {
    // A raise is kept once given: the repeat never lowers what the DSL was already told.
    const severity = severityRank(risk.severity) > severityRank(open.severity) ? risk.severity : open.severity;
    const newest = at >= open.last_at;
    await trx
      .updateTable('monitor_alerts')
      .set({
        count: open.count + 1,
        severity,
        risk_raised: open.risk_raised || risk.raised ? 1 : 0,
        ...(newest
          ? {
              last_at: at,
              excerpt: capture.excerpt.excerpt,
              highlight_start: capture.excerpt.highlightStart,
              highlight_end: capture.excerpt.highlightEnd,
              matched: capture.excerpt.matched,
              event_id: capture.eventId,
              source: capture.source,
              event_kind: capture.eventKind,
              device: capture.device,
              url: capture.url,
            }
          : {}),
        ...(at < open.first_at ? { first_at: at } : {}),
      })
      .where('id', '=', open.id)
      .execute();
    return { alertId: open.id, severity, created: false, becameCritical: severity === 'critical' && open.severity !== 'critical' };
  }

  const row: MonitorAlertTable = {
    id: newId(),
    school_id: capture.schoolId,
    person_id: capture.personId,
    who: capture.who,
    profile: capture.profile,
    category: capture.category,
    severity: risk.severity,
    base_severity: capture.baseSeverity,
    risk_raised: risk.raised ? 1 : 0,
    entry_id: capture.entryId,
    term: capture.term,
    matched: capture.excerpt.matched,
    source: capture.source,
    event_kind: capture.eventKind,
    event_id: capture.eventId,
    device: capture.device,
    url: capture.url,
    excerpt: capture.excerpt.excerpt,
    highlight_start: capture.excerpt.highlightStart,
    highlight_end: capture.excerpt.highlightEnd,
    fold_key: foldKey,
    count: 1,
    first_at: at,
    last_at: at,
    status: 'open',
    fp_reason: null,
    resolved_by: null,
    resolved_at: null,
    incident_id: null,
    keywords_version: capture.keywordsVersion,
    created_at: now.toISOString(),
  };
  await trx.insertInto('monitor_alerts').values(row).execute();
  return { alertId: row.id, severity: row.severity, created: true, becameCritical: row.severity === 'critical' };
}
