import type { Kysely } from 'kysely';
import { newId } from '../../db/ids.js';
import type { DB } from '../../db/tables.js';
import { AppError, notFound } from '../../errors/errors.js';
import { ensureFilterPolicy } from './ensure.js';
import { parseJson, personName } from './rows.js';
import { normalisePattern, requireSpan } from './target.js';
import { policyWrite } from './write.js';

export interface SanctionView {
  id: string;
  personId: string;
  personName: string;
  kind: 'no_internet';
  from: string;
  until: string;
  stillAllowed: string[];
  reason: string;
  source: 'manual' | 'incident';
  sourceId: string | null;
  createdBy: string | null;
  createdAt: string;
  liftedAt: string | null;
  liftedBy: string | null;
  status: 'scheduled' | 'active' | 'expired' | 'lifted';
}

export interface SanctionInput {
  schoolId: string;
  personId: string;
  from: Date;
  until: Date;
  reason: string;
  source: 'manual' | 'incident';
  sourceId?: string;
  stillAllowed?: string[];
  actor: { accountId: string | null; name: string };
  trustId: string;
  now: Date;
}

async function sanctionRows(db: Kysely<DB>, schoolId: string, id?: string) {
  let query = db
    .selectFrom('filter_sanctions as s')
    .innerJoin('people', 'people.id', 's.person_id')
    .selectAll('s')
    .select(['people.given_name', 'people.preferred_name', 'people.family_name'])
    .where('s.school_id', '=', schoolId);
  if (id) query = query.where('s.id', '=', id);
  return query.orderBy('s.created_at', 'desc').limit(1000).execute();
}

type SanctionRow = Awaited<ReturnType<typeof sanctionRows>>[number];

const viewOf = (r: SanctionRow, now: string): SanctionView => ({
  id: r.id,
  personId: r.person_id,
  personName: personName(r),
  kind: 'no_internet',
  from: r.from_at,
  until: r.until_at,
  stillAllowed: parseJson<string[]>(r.still_allowed, []),
  reason: r.reason,
  source: r.source,
  sourceId: r.source_id,
  createdBy: r.created_by,
  createdAt: r.created_at,
  liftedAt: r.lifted_at,
  liftedBy: r.lifted_by,
  status: r.lifted_at ? 'lifted' : r.until_at <= now ? 'expired' : r.from_at > now ? 'scheduled' : 'active',
});

export async function listSanctions(db: Kysely<DB>, schoolId: string, now: Date): Promise<SanctionView[]> {
  await ensureFilterPolicy(db, schoolId, () => now);
  return (await sanctionRows(db, schoolId)).map((r) => viewOf(r, now.toISOString()));
}

export async function getSanction(db: Kysely<DB>, schoolId: string, id: string, now: Date): Promise<SanctionView> {
  const [row] = await sanctionRows(db, schoolId, id);
  if (!row) throw notFound('Sanction');
  return viewOf(row, now.toISOString());
}

/**
 * Removes a person's internet access for a time ("removal of internet access rights" in the
 * policies), except for the hosts in `stillAllowed`. The incident log calls this when an
 * incident's outcome is a sanction; it returns the sanction's id.
 *
 * @example
 *   await applyInternetSanction(db, { schoolId, trustId, personId, from, until, reason: 'Incident 42',
 *     source: 'incident', sourceId: incidentId, actor: { accountId, name }, now: new Date() });
 */
export async function applyInternetSanction(db: Kysely<DB>, input: SanctionInput): Promise<string> {
  requireSpan(input.from.toISOString(), input.until.toISOString());
  const stillAllowed = [...new Set((input.stillAllowed ?? []).map(normalisePattern))];
  const scope = {
    schoolId: input.schoolId,
    trustId: input.trustId,
    actor: { accountId: input.actor.accountId, username: null, personId: null, name: input.actor.name },
    now: input.now,
  };
  return policyWrite(db, scope, input.reason, async (trx) => {
    const person = await trx
      .selectFrom('people')
      .select(['id', 'given_name', 'preferred_name', 'family_name'])
      .where('id', '=', input.personId)
      .where('school_id', '=', input.schoolId)
      .executeTakeFirst();
    if (!person) throw notFound('Person');
    const id = newId();
    await trx
      .insertInto('filter_sanctions')
      .values({
        id,
        school_id: input.schoolId,
        person_id: input.personId,
        kind: 'no_internet',
        from_at: input.from.toISOString(),
        until_at: input.until.toISOString(),
        still_allowed: JSON.stringify(stillAllowed),
        reason: input.reason.trim(),
        source: input.source,
        source_id: input.sourceId ?? null,
        created_by: input.actor.name,
        created_at: input.now.toISOString(),
        lifted_at: null,
        lifted_by: null,
      })
      .execute();
    const after = await getSanction(trx, input.schoolId, id, input.now);
    return {
      result: id,
      entity: 'sanction',
      entityId: id,
      change: 'create',
      summary: `Removed internet access for ${personName(person)} until ${input.until.toISOString()}`,
      before: null,
      after,
    };
  });
}

export async function liftSanction(
  db: Kysely<DB>,
  input: {
    schoolId: string;
    trustId: string;
    sanctionId: string;
    reason: string;
    actor: { accountId: string | null; username?: string | null; name: string };
    now: Date;
  },
): Promise<SanctionView> {
  const scope = {
    schoolId: input.schoolId,
    trustId: input.trustId,
    actor: { accountId: input.actor.accountId, username: input.actor.username ?? null, personId: null, name: input.actor.name },
    now: input.now,
  };
  await policyWrite(db, scope, input.reason, async (trx) => {
    const before = await getSanction(trx, input.schoolId, input.sanctionId, input.now);
    if (before.liftedAt) throw new AppError('conflict', 'That sanction was already lifted');
    await trx
      .updateTable('filter_sanctions')
      .set({ lifted_at: input.now.toISOString(), lifted_by: input.actor.name })
      .where('id', '=', input.sanctionId)
      .execute();
    const after = await getSanction(trx, input.schoolId, input.sanctionId, input.now);
    return {
      result: null,
      entity: 'sanction',
      entityId: input.sanctionId,
      change: 'lift',
      summary: `Restored internet access for ${before.personName}`,
      before,
      after,
    };
  });
  return getSanction(db, input.schoolId, input.sanctionId, input.now);
}
