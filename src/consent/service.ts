import type { Kysely } from 'kysely';
import { type Actor, can } from '../access/policy.js';
import { recordAudit } from '../audit/service.js';
import { newId } from '../db/ids.js';
import { type DB, IMAGE_USES, type ImageUse } from '../db/tables.js';
import { AppError, notFound } from '../errors/errors.js';
import { listPeople } from '../directory/service.js';
import type { ConsentChange, GroupConsent, GroupOption, GroupPupil, StudentConsent, StudentRef, UseState } from './wire.js';
import { personName } from '../directory/names.js';

export type { ConsentChange, GroupConsent, GroupOption, GroupPupil, StudentConsent, StudentRef, UseState };

/** Who made a change and from where, for the change log and the audit trail. */
export interface ChangeContext {
  actor: Actor;
  ip: string | null;
  now: Date;
}

interface StudentRow {
  id: string;
  school_id: string;
  trust_id: string;
  given_name: string;
  preferred_name: string | null;
  family_name: string;
  year_group: number | null;
}

const refOf = (s: StudentRow): StudentRef => ({ id: s.id, name: personName(s), yearGroup: s.year_group });

const students = (db: Kysely<DB>) =>
  db
    .selectFrom('people')
    .innerJoin('schools', 'schools.id', 'people.school_id')
    .select([
      'people.id',
      'people.school_id',
      'schools.trust_id',
      'people.given_name',
      'people.preferred_name',
      'people.family_name',
      'people.year_group',
    ])
    .where('people.kind', '=', 'student');

async function findStudent(db: Kysely<DB>, id: string): Promise<StudentRow | undefined> {
  return students(db).where('people.id', '=', id).executeTakeFirst();
}

/**
 * The student, when the actor may take the action on them. Someone whose role could never
 * allow it is refused outright (403) before anything is looked up; anyone else who is refused
 * for this student hears "not found", so a parent cannot learn which other children exist.
 */
export async function studentFor(db: Kysely<DB>, actor: Actor, action: 'consent.read' | 'consent.manage', id: string): Promise<StudentRow> {
  const mayEver = can(actor, action, { type: 'school', schoolId: actor.schoolId, trustId: actor.trustId }) || actor.roles.has('parent');
  if (!mayEver) throw new AppError('forbidden', `Your role does not allow this (${action})`);
  const student = await findStudent(db, id);
  if (!student || !can(actor, action, { type: 'person', schoolId: student.school_id, trustId: student.trust_id, personId: student.id })) {
    throw notFound('Student');
  }
  return student;
}

/** A student's consent per use now, and every change, newest first. */
export async function studentConsent(db: Kysely<DB>, student: StudentRow): Promise<StudentConsent> {
  const current = await db
    .selectFrom('image_consents')
    .innerJoin('people', 'people.id', 'image_consents.changed_by')
    .select([
      'image_consents.use',
      'image_consents.granted',
      'image_consents.changed_at',
      'people.given_name',
      'people.preferred_name',
      'people.family_name',
    ])
    .where('image_consents.student_id', '=', student.id)
    .execute();
  const byUse = new Map(current.map((row) => [row.use, row]));
  const history = await db
    .selectFrom('image_consent_changes')
    .innerJoin('people', 'people.id', 'image_consent_changes.changed_by')
    .select([
      'image_consent_changes.id',
      'image_consent_changes.use',
      'image_consent_changes.granted',
      'image_consent_changes.changed_at',
      'image_consent_changes.note',
      'people.given_name',
      'people.preferred_name',
      'people.family_name',
    ])
    .where('image_consent_changes.student_id', '=', student.id)
    .orderBy('image_consent_changes.changed_at', 'desc')
    .orderBy('image_consent_changes.id', 'desc')
    .execute();
  return {
    student: refOf(student),
    uses: IMAGE_USES.map((use) => {
      const row = byUse.get(use);
      return {
        use,
        granted: row ? Number(row.granted) === 1 : false,
        changedAt: row?.changed_at ?? null,
        changedByName: row ? personName(row) : null,
      };
    }),
    history: history.map((h) => ({
      id: h.id,
      use: h.use,
      granted: Number(h.granted) === 1,
      changedAt: h.changed_at,
      changedByName: personName(h),
      note: h.note,
    })),
  };
}

/**
 * Records a parent's (or a paper form's) decision for one use. Repeating the value already
 * held changes nothing and logs nothing; a first explicit "no" is logged, because a recorded
 * refusal says more than a form never returned.
 */
export async function setConsent(
  db: Kysely<DB>,
  student: StudentRow,
  input: { use: ImageUse; granted: boolean; note?: string | undefined },
  by: ChangeContext,
): Promise<{ changed: boolean }> {
  const at = by.now.toISOString();
  const granted = input.granted ? 1 : 0;
  const note = input.note?.trim() || null;
  return db.transaction().execute(async (trx) => {
    // One statement decides and writes, so two simultaneous saves cannot both log the same change.
    const written = await trx
      .insertInto('image_consents')
      .values({
        school_id: student.school_id,
        student_id: student.id,
        use: input.use,
        granted,
        changed_by: by.actor.personId,
        changed_at: at,
      })
      .onConflict((oc) =>
        oc
          .columns(['student_id', 'use'])
          .doUpdateSet({ granted, changed_by: by.actor.personId, changed_at: at })
          .where('image_consents.granted', '!=', granted),
      )
      .returning('student_id')
      .executeTakeFirst();
    if (!written) return { changed: false };
    const onBehalf = by.actor.childIds.includes(student.id) ? 'parent' : 'school_record';
    await trx
      .insertInto('image_consent_changes')
      .values({
        id: newId(),
        school_id: student.school_id,
        student_id: student.id,
        use: input.use,
        granted,
        changed_by: by.actor.personId,
        changed_at: at,
        address: by.ip,
        note,
      })
      .execute();
    await recordAudit(trx, {
      action: input.granted ? 'consent.granted' : 'consent.withdrawn',
      actor: by.actor,
      targetType: 'person',
      targetId: student.id,
      schoolId: student.school_id,
      ip: by.ip,
      details: { use: input.use, recordedAs: onBehalf, ...(note ? { note } : {}) },
      at: by.now,
    });
    return { changed: true };
  });
}

/** A parent's children (active students only), each with their consent and its history. */
export async function myChildren(db: Kysely<DB>, actor: Actor): Promise<StudentConsent[]> {
  if (actor.childIds.length === 0) return [];
  const rows = await students(db)
    .where('people.id', 'in', [...actor.childIds])
    .where('people.status', '=', 'active')
    .orderBy('people.given_name')
    .orderBy('people.id')
    .execute();
  return Promise.all(rows.map((row) => studentConsent(db, row)));
}

const PICKABLE = ['tutor_group', 'class', 'year_group'] as const;
const KIND_ORDER: Record<string, number> = { tutor_group: 0, class: 1, year_group: 2 };

/** Groups to look up, the actor's own first, then every tutor group, class and year group of the school. */
export async function groupOptions(db: Kysely<DB>, actor: Actor): Promise<GroupOption[]> {
  const groups = await db
    .selectFrom('groups')
    .select(['id', 'name', 'kind', 'year_group'])
    .where('school_id', '=', actor.schoolId)
    .where('status', '=', 'active')
    .where('kind', 'in', [...PICKABLE])
    .execute();
  const own = await db
    .selectFrom('group_members')
    .select('group_id')
    .where('person_id', '=', actor.personId)
    .where('member_role', 'in', ['teacher', 'tutor', 'lead'])
    .execute();
  const mine = new Set(own.map((g) => g.group_id));
  return groups
    .map((g) => ({ id: g.id, name: g.name, kind: g.kind, yearGroup: g.year_group, mine: mine.has(g.id) }))
    .sort(
      (a, b) =>
        Number(b.mine) - Number(a.mine) ||
        (KIND_ORDER[a.kind] ?? 9) - (KIND_ORDER[b.kind] ?? 9) ||
        a.name.localeCompare(b.name, 'en-GB', { numeric: true }),
    );
}

/**
 * The pupils of a class, tutor group or year group with their consent for one use, those who
 * must not appear first. Reading it is audited: a list of children's consent is personal data.
 */
export async function groupConsent(
  db: Kysely<DB>,
  actor: Actor,
  groupId: string,
  use: ImageUse,
  ip: string | null,
  now: Date,
): Promise<GroupConsent> {
  const group = await db
    .selectFrom('groups')
    .innerJoin('schools', 'schools.id', 'groups.school_id')
    .select(['groups.id', 'groups.name', 'groups.kind', 'groups.year_group', 'groups.school_id', 'schools.trust_id'])
    .where('groups.id', '=', groupId)
    .executeTakeFirst();
  if (!group || !can(actor, 'consent.read', { type: 'school', schoolId: group.school_id, trustId: group.trust_id })) {
    throw notFound('Group');
  }
  const members = await listPeople(db, { schoolId: group.school_id, groupId: group.id, kind: 'student', limit: 5000, offset: 0 });
  const ids = members.items.map((m) => m.id);
  const consent = new Map<string, Set<string>>();
  // Chunked so a key stage's worth of pupils stays under the databases' parameter limits.
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('image_consents')
      .select(['student_id', 'use'])
      .where('student_id', 'in', ids.slice(i, i + 500))
      .where('granted', '=', 1)
      .execute();
    for (const row of rows) {
      const set = consent.get(row.student_id) ?? new Set<string>();
      set.add(row.use);
      consent.set(row.student_id, set);
    }
  }
  const pupils = members.items.map((m) => {
    const yes = consent.get(m.id) ?? new Set<string>();
    return {
      id: m.id,
      name: m.name,
      yearGroup: m.yearGroup,
      granted: yes.has(use),
      allowed: Object.fromEntries(IMAGE_USES.map((u) => [u, yes.has(u)])) as Record<ImageUse, boolean>,
    };
  });
  // listPeople already sorts by family then given name; a stable sort keeps that within each part.
  pupils.sort((a, b) => Number(a.granted) - Number(b.granted));
  const notAllowedCount = pupils.filter((p) => !p.granted).length;
  await recordAudit(db, {
    action: 'consent.group_viewed',
    actor,
    targetType: 'group',
    targetId: group.id,
    schoolId: group.school_id,
    ip,
    details: { use, pupils: pupils.length, notAllowed: notAllowedCount },
    at: now,
  });
  return {
    group: { id: group.id, name: group.name, kind: group.kind, yearGroup: group.year_group },
    use,
    pupils,
    notAllowedCount,
  };
}
