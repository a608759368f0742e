import type { Kysely } from 'kysely';
import { filterHolds } from '../../agreements/service.js';
import { isCategoryId, type CategoryId } from '../categories.js';
import type { DB, GroupKind } from '../../db/tables.js';
import { KEY_STAGE_YEARS, keyStageOf, type KeyStage } from '../../directory/key-stage.js';
import { notFound } from '../../errors/errors.js';
import type { FilterException, FilterPerson, FilterPolicy, FilterSanction, TimeWindow, WindowKind } from '../model.js';
import { ensureFilterPolicy } from './ensure.js';
import { groupBy, parseJson, personName, profileOf } from './rows.js';
import { defaultProfileKey, GROUP_SPECIFICITY, STAFF_ROLES } from './resolve.js';

/**
 * Everything the engine needs to decide for one school, read in a fixed number of queries
 * whatever the size of the school (no query per person).
 *
 * @example
 *   const policy = await loadFilterPolicy(db, schoolId, new Date());
 */
export async function loadFilterPolicy(db: Kysely<DB>, schoolId: string, at: Date): Promise<FilterPolicy> {
  await ensureFilterPolicy(db, schoolId, () => at);
  const school = await db.selectFrom('schools').select(['id', 'trust_id', 'phase']).where('id', '=', schoolId).executeTakeFirst();
  if (!school) throw notFound('School');
  const now = at.toISOString();
  const [settings, profiles, cells, windows, holidays, people, accounts, roles, groups, members, assignments] = await Promise.all([
    db.selectFrom('filter_settings').selectAll().where('school_id', '=', schoolId).executeTakeFirstOrThrow(),
    db.selectFrom('filter_profiles').selectAll().where('school_id', '=', schoolId).orderBy('position').orderBy('key').execute(),
    db
      .selectFrom('filter_matrix')
      .innerJoin('filter_profiles', 'filter_profiles.id', 'filter_matrix.profile_id')
      .selectAll('filter_matrix')
      .where('filter_profiles.school_id', '=', schoolId)
      .execute(),
    db.selectFrom('filter_windows').selectAll().where('school_id', '=', schoolId).orderBy('start_minute').execute(),
    db.selectFrom('filter_holidays').selectAll().where('school_id', '=', schoolId).orderBy('from_date').execute(),
    db
      .selectFrom('people')
      .select(['id', 'kind', 'year_group', 'given_name', 'preferred_name', 'family_name', 'expires_at'])
      .where('school_id', '=', schoolId)
      .where('status', '=', 'active')
      .execute(),
    db
      .selectFrom('accounts')
      .innerJoin('people', 'people.id', 'accounts.person_id')
      .select(['accounts.person_id', 'accounts.username'])
      .where('people.school_id', '=', schoolId)
      .where('accounts.disabled_at', 'is', null)
      .execute(),
    db
      .selectFrom('person_roles')
      .innerJoin('people', 'people.id', 'person_roles.person_id')
      .select(['person_roles.person_id', 'person_roles.role'])
      .where('people.school_id', '=', schoolId)
      .execute(),
    db
      .selectFrom('groups')
      .select(['id', 'kind', 'code', 'year_group'])
      .where('school_id', '=', schoolId)
      .where('status', '=', 'active')
      .execute(),
    db
      .selectFrom('group_members')
      .innerJoin('groups', 'groups.id', 'group_members.group_id')
      .select(['group_members.group_id', 'group_members.person_id'])
      .where('groups.school_id', '=', schoolId)
      .where('groups.status', '=', 'active')
      .execute(),
    db.selectFrom('filter_profile_assignments').selectAll().where('school_id', '=', schoolId).execute(),
  ]);
  const [devices, subnets, signIns, lists, exceptions, sanctions, holds] = await Promise.all([
    db.selectFrom('filter_devices').selectAll().where('school_id', '=', schoolId).execute(),
    db.selectFrom('filter_subnets').selectAll().where('school_id', '=', schoolId).execute(),
    db.selectFrom('filter_address_signins').selectAll().where('school_id', '=', schoolId).where('until_at', '>', now).execute(),
    db
      .selectFrom('filter_list_entries')
      .selectAll()
      .where('trust_id', '=', school.trust_id)
      .where((eb) => eb.or([eb('school_id', '=', schoolId), eb('school_id', 'is', null)]))
      .execute(),
    db
      .selectFrom('filter_exceptions')
      .selectAll()
      .where('school_id', '=', schoolId)
      .where('revoked_at', 'is', null)
      .where('until_at', '>', now)
      .execute(),
    db
      .selectFrom('filter_sanctions')
      .selectAll()
      .where('school_id', '=', schoolId)
      .where('lifted_at', 'is', null)
      .where('until_at', '>', now)
      .execute(),
    filterHolds(db, schoolId, at),
  ]);

  const cellsByProfile = groupBy(cells, (c) => c.profile_id);
  const profileList = profiles.map((p) => profileOf(p, cellsByProfile.get(p.id) ?? []));
  const profileByKey = new Map(profileList.map((p) => [p.key, p.id]));
  const fallbackProfileId = settings.fallback_profile_id ?? profileByKey.get('guest') ?? profileList[0]!.id;

  // Derived groups (year group, key stage) are computed from the year, never stored.
  const groupKind = new Map<string, GroupKind>(groups.map((g) => [g.id, g.kind]));
  const yearGroupIds = new Map<number, string[]>();
  const keyStageIds = new Map<KeyStage, string[]>();
  for (const g of groups) {
    if (g.kind === 'year_group' && g.year_group !== null) yearGroupIds.set(g.year_group, [...(yearGroupIds.get(g.year_group) ?? []), g.id]);
    if (g.kind === 'key_stage' && g.code in KEY_STAGE_YEARS) {
      keyStageIds.set(g.code as KeyStage, [...(keyStageIds.get(g.code as KeyStage) ?? []), g.id]);
    }
  }
  const storedGroups = groupBy(members, (m) => m.person_id);
  const rolesOf = groupBy(roles, (r) => r.person_id);
  const usernameOf = new Map(accounts.map((a) => [a.person_id, a.username]));
  const personAssignment = new Map(assignments.filter((a) => a.subject_kind === 'person').map((a) => [a.subject_id, a.profile_id]));
  const groupAssignment = new Map(assignments.filter((a) => a.subject_kind === 'group').map((a) => [a.subject_id, a.profile_id]));

  const filterPeople: FilterPerson[] = [];
  for (const p of people) {
    if (p.expires_at && p.expires_at <= now) continue;
    const personRoles = (rolesOf.get(p.id) ?? []).map((r) => r.role);
    const groupIds = (storedGroups.get(p.id) ?? []).map((m) => m.group_id);
    if (p.kind === 'student' && p.year_group !== null) {
      groupIds.push(...(yearGroupIds.get(p.year_group) ?? []));
      const ks = keyStageOf(p.year_group);
      if (ks) groupIds.push(...(keyStageIds.get(ks) ?? []));
    }
    const byGroup = groupIds
      .filter((id) => groupAssignment.has(id))
      .sort((a, b) => GROUP_SPECIFICITY[groupKind.get(a)!] - GROUP_SPECIFICITY[groupKind.get(b)!] || a.localeCompare(b));
    const profileId =
      personAssignment.get(p.id) ??
      (byGroup[0] ? groupAssignment.get(byGroup[0]) : undefined) ??
      profileByKey.get(defaultProfileKey({ kind: p.kind, yearGroup: p.year_group, roles: personRoles }, school.phase)) ??
      fallbackProfileId;
    filterPeople.push({
      id: p.id,
      schoolId,
      username: usernameOf.get(p.id) ?? null,
      displayName: personName(p),
      profileId,
      groupIds,
      isStaff: personRoles.some((r) => STAFF_ROLES.includes(r)),
    });
  }

  return {
    schoolId,
    trustId: school.trust_id,
    version: Number(settings.policy_version),
    profiles: profileList,
    fallbackProfileId,
    calendar: {
      schoolId,
      timeZone: settings.time_zone,
      windows: windows.map(
        (w): TimeWindow => ({
          kind: w.kind as WindowKind,
          days: parseJson<number[]>(w.days, []),
          startMinute: Number(w.start_minute),
          endMinute: Number(w.end_minute),
        }),
      ),
      holidays: holidays.map((h) => ({ from: h.from_date, to: h.to_date, name: h.name })),
    },
    people: filterPeople,
    devices: devices.map((d) => ({
      id: d.id,
      schoolId,
      name: d.name,
      address: d.address,
      personId: d.person_id,
      profileId: d.profile_id,
    })),
    subnets: subnets.map((s) => ({ id: s.id, schoolId, cidr: s.cidr, profileId: s.profile_id })),
    signIns: signIns.map((s) => ({ address: s.address, personId: s.person_id, until: s.until_at })),
    lists: lists.map((e) => ({
      id: e.id,
      scope: e.scope,
      scopeId: e.scope_id,
      pattern: e.pattern,
      action: e.action,
      category: e.category && isCategoryId(e.category) ? e.category : null,
    })),
    exceptions: exceptions.map(exceptionOf),
    sanctions: sanctions.map(
      (s): FilterSanction => ({
        id: s.id,
        personId: s.person_id,
        kind: 'no_internet',
        from: s.from_at,
        until: s.until_at,
        stillAllowed: parseJson<string[]>(s.still_allowed, []),
      }),
    ),
    alertingCategories: parseJson<string[]>(settings.alerting_categories, []).filter(isCategoryId) as CategoryId[],
    heldPersonIds: holds.personIds,
    heldUntil: holds.until.toISOString(),
  };
}

export function exceptionOf(e: {
  id: string;
  school_id: string;
  target_kind: 'pattern' | 'category';
  target: string;
  applies_kind: 'school' | 'group' | 'person';
  applies_id: string | null;
  from_at: string;
  until_at: string;
}): FilterException {
  return {
    id: e.id,
    schoolId: e.school_id,
    target: e.target_kind === 'category' ? { kind: 'category', category: e.target as CategoryId } : { kind: 'pattern', pattern: e.target },
    appliesTo:
      e.applies_kind === 'group'
        ? { kind: 'group', groupId: e.applies_id ?? '' }
        : e.applies_kind === 'person'
          ? { kind: 'person', personId: e.applies_id ?? '' }
          : { kind: 'school' },
    from: e.from_at,
    until: e.until_at,
  };
}

/**
 * Every school's policy version in one query, so the runtime can poll each second and
 * recompile only the schools that changed.
 */
export async function policyVersions(db: Kysely<DB>): Promise<Map<string, number>> {
  const rows = await db.selectFrom('filter_settings').select(['school_id', 'policy_version']).execute();
  return new Map(rows.map((r) => [r.school_id, Number(r.policy_version)]));
}
