import type { Kysely } from 'kysely';
import { newId } from '../../db/ids.js';
import type { DB } from '../../db/tables.js';
import { AppError, notFound } from '../../errors/errors.js';
import { WINDOW_KINDS, type TimeWindow, type WindowKind } from '../model.js';
import { ensureFilterPolicy } from './ensure.js';
import { parseJson } from './rows.js';
import { policyWrite, type WriteScope } from './write.js';

export interface CalendarView {
  timeZone: string;
  windows: (TimeWindow & { id: string })[];
  holidays: { id: string; name: string; from: string; to: string }[];
}

export async function getCalendar(db: Kysely<DB>, schoolId: string, now: Date): Promise<CalendarView> {
  await ensureFilterPolicy(db, schoolId, () => now);
  const [settings, windows, holidays] = await Promise.all([
    db.selectFrom('filter_settings').select('time_zone').where('school_id', '=', schoolId).executeTakeFirstOrThrow(),
    db.selectFrom('filter_windows').selectAll().where('school_id', '=', schoolId).orderBy('start_minute').orderBy('kind').execute(),
    db.selectFrom('filter_holidays').selectAll().where('school_id', '=', schoolId).orderBy('from_date').execute(),
  ]);
  return {
    timeZone: settings.time_zone,
    windows: windows.map((w) => ({
      id: w.id,
      kind: w.kind as WindowKind,
      days: parseJson<number[]>(w.days, []),
      startMinute: Number(w.start_minute),
      endMinute: Number(w.end_minute),
    })),
    holidays: holidays.map((h) => ({ id: h.id, name: h.name, from: h.from_date, to: h.to_date })),
  };
}

function checkWindow(w: TimeWindow, i: number): void {
  const where = `Window ${i + 1}`;
  if (!WINDOW_KINDS.includes(w.kind)) throw new AppError('validation_failed', `${where}: unknown kind ${w.kind}`);
  if (w.days.length === 0 || w.days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
    throw new AppError('validation_failed', `${where}: days are 1 (Monday) to 7 (Sunday)`);
  }
  if (w.startMinute < 0 || w.endMinute > 1440 || w.startMinute >= w.endMinute) {
    throw new AppError('validation_failed', `${where}: it must start before it ends, within one day`);
  }
}

/** Replaces the school day: the windows "acceptable at certain times" refers to. */
export async function setWindows(db: Kysely<DB>, scope: WriteScope, windows: TimeWindow[], reason: string): Promise<CalendarView> {
  windows.forEach(checkWindow);
  await policyWrite(db, scope, reason, async (trx) => {
    const before = (await getCalendar(trx, scope.schoolId, scope.now)).windows.map(({ id: _id, ...w }) => w);
    await trx.deleteFrom('filter_windows').where('school_id', '=', scope.schoolId).execute();
    if (windows.length) {
      await trx
        .insertInto('filter_windows')
        .values(
          windows.map((w) => ({
            id: newId(),
            school_id: scope.schoolId,
            kind: w.kind,
            days: JSON.stringify([...new Set(w.days)].sort()),
            start_minute: w.startMinute,
            end_minute: w.endMinute,
          })),
        )
        .execute();
    }
    return {
      result: null,
      entity: 'calendar',
      entityId: scope.schoolId,
      change: 'update',
      summary: `Changed the school day (${windows.length} time windows)`,
      before,
      after: windows,
    };
  });
  return getCalendar(db, scope.schoolId, scope.now);
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export async function addHoliday(
  db: Kysely<DB>,
  scope: WriteScope,
  input: { name: string; from: string; to: string; reason: string },
): Promise<{ id: string; name: string; from: string; to: string }> {
  if (!DAY.test(input.from) || !DAY.test(input.to) || Number.isNaN(Date.parse(input.from)) || Number.isNaN(Date.parse(input.to))) {
    throw new AppError('validation_failed', 'Holiday dates are days, like 2026-12-21');
  }
  if (input.from > input.to) throw new AppError('validation_failed', 'A holiday must end on or after its first day');
  return policyWrite(db, scope, input.reason, async (trx) => {
    const holiday = { id: newId(), name: input.name.trim(), from: input.from, to: input.to };
    await trx
      .insertInto('filter_holidays')
      .values({ id: holiday.id, school_id: scope.schoolId, name: holiday.name, from_date: holiday.from, to_date: holiday.to })
      .execute();
    return {
      result: holiday,
      entity: 'holiday',
      entityId: holiday.id,
      change: 'create',
      summary: `Added the holiday "${holiday.name}" (${holiday.from} to ${holiday.to})`,
      before: null,
      after: holiday,
    };
  });
}

export async function deleteHoliday(db: Kysely<DB>, scope: WriteScope, id: string, reason: string): Promise<void> {
  await policyWrite(db, scope, reason, async (trx) => {
    const row = await trx
      .selectFrom('filter_holidays')
      .selectAll()
      .where('id', '=', id)
      .where('school_id', '=', scope.schoolId)
      .executeTakeFirst();
    if (!row) throw notFound('Holiday');
    await trx.deleteFrom('filter_holidays').where('id', '=', id).execute();
    return {
      result: null,
      entity: 'holiday',
      entityId: id,
      change: 'delete',
      summary: `Removed the holiday "${row.name}"`,
      before: { name: row.name, from: row.from_date, to: row.to_date },
      after: null,
    };
  });
}
