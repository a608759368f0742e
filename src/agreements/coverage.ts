import type { Kysely } from 'kysely';
import type { AgreementAudience, DB, GroupKind } from '../db/tables.js';
import { notFound } from '../errors/errors.js';
import { audienceOf, currentDocuments } from './service.js';
import { loadAgreementSettings, schoolYearOf } from './settings.js';
import { personName } from '../directory/names.js';
import { stringify } from 'csv-stringify/sync';
import { spreadsheetSafe } from '../export/spreadsheet.js';

export interface CoveragePerson {
  personId: string;
  name: string;
  audience: AgreementAudience;
  group: string | null;
  lastAcceptedVersion: number | null;
  email: string | null;
}

export interface CoverageGroup {
  groupId: string;
  name: string;
  kind: GroupKind;
  people: number;
  accepted: number;
  outstanding: number;
}

export interface Coverage {
  schoolYear: string;
  totals: { people: number; accepted: number; outstanding: number };
  byGroup: CoverageGroup[];
  outstanding: CoveragePerson[];
}

const GROUP_ORDER: GroupKind[] = ['year_group', 'class', 'tutor_group', 'staff_team'];

/**
 * Who has and has not accepted the current agreement this school year. Only people whose
 * audience has a published agreement count. Pupils are grouped by year group, class and tutor
 * group; staff by staff team. A filter by group counts only that group's people.
 */
export async function agreementCoverage(
  db: Kysely<DB>,
  schoolId: string,
  filter: { audience?: AgreementAudience; groupId?: string; acceptedBy?: Date },
  at: Date,
): Promise<Coverage> {
  const schoolYear = schoolYearOf(at, (await loadAgreementSettings(db, schoolId)).renewOn);
  const docs = await currentDocuments(db, schoolId);
  const people = (
    await db
      .selectFrom('people')
      .select(['id', 'kind', 'year_group', 'given_name', 'family_name', 'preferred_name', 'email'])
      .where('school_id', '=', schoolId)
      .where('status', '=', 'active')
      // A guest or community user past their end date can no longer sign in, so is not outstanding.
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at.toISOString())]))
      .orderBy('family_name')
      .orderBy('given_name')
      .orderBy('id')
      .execute()
  )
    .map((p) => ({ ...p, audience: audienceOf(p) }))
    .filter((p): p is typeof p & { audience: AgreementAudience } => p.audience !== null && docs.has(p.audience))
    .filter((p) => !filter.audience || p.audience === filter.audience);

  const groups = await db
    .selectFrom('groups')
    .select(['id', 'kind', 'name', 'year_group'])
    .where('school_id', '=', schoolId)
    .where('status', '=', 'active')
    .where('kind', 'in', GROUP_ORDER)
    .orderBy('year_group')
    .orderBy('name')
    .execute();
  const members = await db
    .selectFrom('group_members as m')
    .innerJoin('groups as g', 'g.id', 'm.group_id')
    .select(['m.group_id', 'm.person_id', 'm.member_role', 'g.kind'])
    .where('g.school_id', '=', schoolId)
    .where('g.kind', 'in', ['class', 'tutor_group', 'staff_team'])
    .execute();
  // In a class or tutor group only the pupils count; the teacher and tutor belong to a staff team.
  const inGroup = new Map<string, Set<string>>();
  for (const m of members) {
    if (m.kind !== 'staff_team' && m.member_role !== 'member') continue;
    const set = inGroup.get(m.group_id) ?? new Set<string>();
    inGroup.set(m.group_id, set);
    set.add(m.person_id);
  }
  const belongs = (g: (typeof groups)[number], p: (typeof people)[number]) =>
    g.kind === 'year_group' ? p.kind === 'student' && p.year_group === g.year_group : (inGroup.get(g.id)?.has(p.id) ?? false);

  let scoped = people;
  if (filter.groupId) {
    const group = groups.find((g) => g.id === filter.groupId);
    if (!group) throw notFound('Group');
    scoped = people.filter((p) => belongs(group, p));
  }

  const acceptances = await db
    .selectFrom('agreement_acceptances')
    .select(['person_id', 'document_id', 'audience', 'version', 'school_year'])
    .where('school_id', '=', schoolId)
    // Coverage as it stood on an earlier day leaves out the acceptances made since.
    .$if(filter.acceptedBy !== undefined, (q) => q.where('accepted_at', '<=', filter.acceptedBy!.toISOString()))
    .execute();
  const acceptedNow = new Set<string>();
  const lastVersion = new Map<string, number>();
  for (const a of acceptances) {
    const doc = docs.get(a.audience);
    if (doc && a.document_id === doc.id && a.school_year === schoolYear) acceptedNow.add(a.person_id);
    lastVersion.set(`${a.person_id}:${a.audience}`, Math.max(lastVersion.get(`${a.person_id}:${a.audience}`) ?? 0, a.version));
  }

  const byGroup: CoverageGroup[] = [];
  for (const kind of GROUP_ORDER) {
    for (const g of groups.filter((x) => x.kind === kind)) {
      const inIt = scoped.filter((p) => belongs(g, p));
      if (inIt.length === 0) continue;
      const accepted = inIt.filter((p) => acceptedNow.has(p.id)).length;
      byGroup.push({ groupId: g.id, name: g.name, kind: g.kind, people: inIt.length, accepted, outstanding: inIt.length - accepted });
    }
  }

  const tutorGroup = new Map<string, string>();
  const staffTeam = new Map<string, string>();
  for (const g of groups) {
    const target = g.kind === 'tutor_group' ? tutorGroup : g.kind === 'staff_team' ? staffTeam : null;
    if (!target) continue;
    for (const id of inGroup.get(g.id) ?? []) if (!target.has(id)) target.set(id, g.name);
  }
  const yearName = (y: number | null) => (y === null ? null : y === 0 ? 'Reception' : `Year ${y}`);
  const outstanding = scoped
    .filter((p) => !acceptedNow.has(p.id))
    .map((p) => ({
      personId: p.id,
      name: personName(p),
      audience: p.audience,
      group: tutorGroup.get(p.id) ?? staffTeam.get(p.id) ?? (p.kind === 'student' ? yearName(p.year_group) : null),
      lastAcceptedVersion: lastVersion.get(`${p.id}:${p.audience}`) ?? null,
      email: p.email,
    }));
  const accepted = scoped.length - outstanding.length;
  return { schoolYear, totals: { people: scoped.length, accepted, outstanding: outstanding.length }, byGroup, outstanding };
}

export function outstandingCsv(coverage: Coverage): string {
  const rows = coverage.outstanding.map((p) =>
    [p.name, p.audience, p.group, p.lastAcceptedVersion, coverage.schoolYear].map((v) => spreadsheetSafe(v === null ? '' : String(v))),
  );
  return stringify(rows, {
    header: true,
    columns: ['Name', 'Audience', 'Group', 'Last accepted version', 'School year'],
    record_delimiter: '\r\n',
  });
}
