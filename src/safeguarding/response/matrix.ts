import type { Kysely } from 'kysely';
import { recordAudit } from '../../audit/service.js';
import type { DB } from '../../db/tables.js';
import { AppError, notFound } from '../../errors/errors.js';
import type { SubjectKind } from '../categories.js';
import { DEFAULT_MATRIX, isActionFor, type ResponseAction } from './catalogue.js';

export interface MatrixRow {
  incidentType: string;
  label: string;
  actions: ResponseAction[];
  position: number;
}

/**
 * Gives the school its own copy of the default matrices the first time it is needed, so a
 * school that never edits them still has rows to join against and later edits stay local.
 * Idempotent: rows that exist are left alone.
 */
export async function ensureMatrix(db: Kysely<DB>, schoolId: string, now: Date): Promise<void> {
  const have = await db.selectFrom('incident_matrix').select(['audience', 'incident_type']).where('school_id', '=', schoolId).execute();
  const known = new Set(have.map((r) => `${r.audience}:${r.incident_type}`));
  const missing = (['student', 'staff'] as const).flatMap((audience) =>
    DEFAULT_MATRIX[audience]
      .map((row, position) => ({ row, position }))
      .filter(({ row }) => !known.has(`${audience}:${row.incidentType}`))
      .map(({ row, position }) => ({
        school_id: schoolId,
        audience,
        incident_type: row.incidentType,
        label: row.label,
        actions: JSON.stringify(row.actions),
        position,
        updated_at: now.toISOString(),
      })),
  );
  if (missing.length === 0) return;
  // Two first requests may race; the primary key keeps one copy and the loser changes nothing.
  await db
    .insertInto('incident_matrix')
    .values(missing)
    .onConflict((oc) => oc.columns(['school_id', 'audience', 'incident_type']).doNothing())
    .execute();
}

export async function listMatrix(db: Kysely<DB>, schoolId: string, audience: SubjectKind, now: Date): Promise<MatrixRow[]> {
  await ensureMatrix(db, schoolId, now);
  const rows = await db
    .selectFrom('incident_matrix')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('audience', '=', audience)
    .orderBy('position')
    .execute();
  return rows.map((r) => ({
    incidentType: r.incident_type,
    label: r.label,
    actions: JSON.parse(r.actions) as ResponseAction[],
    position: Number(r.position),
  }));
}

export async function matrixRow(
  db: Kysely<DB>,
  schoolId: string,
  audience: SubjectKind,
  incidentType: string,
  now: Date,
): Promise<MatrixRow> {
  const row = (await listMatrix(db, schoolId, audience, now)).find((r) => r.incidentType === incidentType);
  if (!row) throw new AppError('validation_failed', `Unknown incident type for ${audience} incidents: ${incidentType}`);
  return row;
}

/** Changes one row of the school's matrix (its label and its actions), with an audit entry. */
export async function updateMatrixRow(
  db: Kysely<DB>,
  input: {
    schoolId: string;
    audience: SubjectKind;
    incidentType: string;
    label?: string;
    actions: string[];
    actor: { accountId: string; username: string };
    ip: string | null;
    now: Date;
  },
): Promise<MatrixRow> {
  const wrong = input.actions.filter((a) => !isActionFor(input.audience, a));
  if (wrong.length > 0) {
    throw new AppError('validation_failed', `Not an action for ${input.audience} incidents: ${wrong.join(', ')}`, { actions: wrong });
  }
  const label = input.label?.trim();
  if (input.label !== undefined && !label) throw new AppError('validation_failed', 'The label cannot be empty');
  const before = (await listMatrix(db, input.schoolId, input.audience, input.now)).find((r) => r.incidentType === input.incidentType);
  if (!before) throw notFound('Matrix row');
  const actions = [...new Set(input.actions)];
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('incident_matrix')
      .set({ label: label ?? before.label, actions: JSON.stringify(actions), updated_at: input.now.toISOString() })
      .where('school_id', '=', input.schoolId)
      .where('audience', '=', input.audience)
      .where('incident_type', '=', input.incidentType)
      .execute();
    await recordAudit(trx, {
      action: 'incident.matrix.update',
      actor: input.actor,
      targetType: 'incident_matrix',
      targetId: `${input.audience}:${input.incidentType}`,
      schoolId: input.schoolId,
      ip: input.ip,
      details: { before: { label: before.label, actions: before.actions }, after: { label: label ?? before.label, actions } },
      at: input.now,
    });
  });
  return matrixRow(db, input.schoolId, input.audience, input.incidentType, input.now);
}
