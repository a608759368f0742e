import type { Kysely } from 'kysely';
import { stringify } from 'csv-stringify/sync';
import type { DB } from '../../db/tables.js';
import { AppError } from '../../errors/errors.js';
import { parseJson } from './rows.js';
import { spreadsheetSafe } from '../../export/spreadsheet.js';

export interface ChangeView {
  id: string;
  at: string;
  actorName: string;
  entity: string;
  entityId: string | null;
  change: string;
  summary: string;
  before: unknown;
  after: unknown;
  reason: string;
}

export interface ChangeQuery {
  schoolId: string;
  trustId: string;
  from?: string;
  to?: string;
  entity?: string;
  limit: number;
}

/** A date (`2026-11-24`) or date and time, as the stored ISO-8601 UTC text compares. */
function isoTime(value: string, name: string): string {
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) throw new AppError('validation_failed', `${name} must be a date or a date and time`);
  return time.toISOString();
}

/** The change-control log for a school, with the trust-wide changes that also apply to it; newest first. */
export async function listChanges(db: Kysely<DB>, q: ChangeQuery): Promise<ChangeView[]> {
  let query = db
    .selectFrom('filter_change_log')
    .selectAll()
    .where('trust_id', '=', q.trustId)
    .where((eb) => eb.or([eb('school_id', '=', q.schoolId), eb('school_id', 'is', null)]));
  if (q.from) query = query.where('at', '>=', isoTime(q.from, 'from'));
  if (q.to) query = query.where('at', '<=', isoTime(q.to, 'to'));
  if (q.entity) query = query.where('entity', '=', q.entity);
  const rows = await query.orderBy('at', 'desc').orderBy('id').limit(q.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actorName: r.actor_name,
    entity: r.entity,
    entityId: r.entity_id,
    change: r.change,
    summary: r.summary,
    before: parseJson<unknown>(r.before, null),
    after: parseJson<unknown>(r.after, null),
    reason: r.reason,
  }));
}

export const CHANGE_CSV_COLUMNS = ['time', 'who', 'entity', 'change', 'summary', 'before', 'after', 'reason'] as const;

/** The log as CSV for governors; before and after stay JSON so nothing is lost. */
export function changesAsCsv(changes: readonly ChangeView[]): string {
  return stringify(
    changes.map((c) =>
      [
        c.at,
        c.actorName,
        c.entity,
        c.change,
        c.summary,
        c.before === null ? '' : JSON.stringify(c.before),
        c.after === null ? '' : JSON.stringify(c.after),
        c.reason,
      ].map(spreadsheetSafe),
    ),
    { header: true, columns: [...CHANGE_CSV_COLUMNS] },
  );
}
