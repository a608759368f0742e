import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/service.js';
import type { DB, FilterReviewCheckTable } from '../db/tables.js';
import { newId } from '../db/ids.js';
import { AppError } from '../errors/errors.js';
import { CATEGORIES, type CategoryId, categoryLabel, LOCKED_CATEGORIES } from '../filter/categories.js';
import { type CompiledLists, decide } from '../filter/engine/index.js';
import { localMoment } from '../filter/engine/local-time.js';
import type { CompiledPerson, Snapshot } from '../filter/engine/snapshot.js';
import { LOCKED_TEST_ENTRIES } from '../filter/lists/locked.js';
import type { FilterPolicy, Profile } from '../filter/model.js';
import type { RuntimeSource } from '../filter/runtime/routes.js';
import { MONITOR_CATEGORIES, type MonitorCategory } from '../monitor/keywords/types.js';
import { currentLibrary } from '../monitor/library/current.js';
import { compileLibrary, scanText } from '../monitor/matcher/index.js';
import { sampleTargets } from './samples.js';
import type { Who } from './service.js';

/** The profile name the keyword matcher's checks are stored under. */
export const MONITORING_PROFILE = 'Monitoring';
/** How many sample sites of each ordinary category are tried per profile. */
export const SAMPLES_PER_CATEGORY = 2;
/** The default profiles for pupils; a school's own profile counts as a pupil profile when a pupil is on it. */
const PUPIL_PROFILE_KEYS = new Set(['primary', 'ks3', 'ks4', 'sixth_form']);

/**
 * One phrase per monitoring category that the default library raises an alert for. A school
 * that removes the terms behind one of them from its library sees that check fail.
 */
export const MONITOR_TEST_PHRASES: Readonly<Record<MonitorCategory, string>> = {
  illegal: 'anyone got cp links',
  bullying: 'just kys',
  child_exploitation: 'send me nudes',
  discrimination: 'go back to your country',
  drugs: 'selling zoots after school',
  extremism: 'the race war is coming',
  gambling: 'put it on bet365',
  pornography: 'watching porn',
  self_harm: 'i cut myself again',
  suicide: 'i want to die',
  violence: 'gonna stab him',
};

/** The filter as it is in force for one school: its policy, compiled snapshot and the lists. */
export interface LiveFilter {
  policy: FilterPolicy;
  snapshot: Snapshot;
  lists: CompiledLists;
}

/** The runtime's own snapshot, refreshed first so a change saved a moment ago is what gets checked. */
export async function liveFilter(runtimeOf: RuntimeSource, schoolId: string): Promise<LiveFilter> {
  const runtime = await runtimeOf();
  await runtime.refreshNow();
  const school = runtime.school(schoolId);
  const lists = runtime.compiledLists();
  if (!school || !lists) throw new AppError('not_ready', 'The filter has not loaded this school yet; try again in a moment.');
  return { policy: school.policy, snapshot: school.snapshot, lists };
}

type Planned = Omit<FilterReviewCheckTable, 'id' | 'review_id' | 'school_id' | 'run_id' | 'run_at' | 'run_by'>;

/** The id of the made-up pupil, member of staff or guest on a profile the checks ask as. */
const probeId = (profileId: string) => `review-check:${profileId}`;

/**
 * The live snapshot with one made-up person per profile, in no group and with no sanction, so
 * each check asks "what does this profile get" rather than what one real person's exceptions give.
 */
function probeSnapshot(live: LiveFilter): Snapshot {
  const people = new Map(live.snapshot.people);
  for (const p of live.policy.profiles) {
    const person: CompiledPerson = {
      person: {
        id: probeId(p.id),
        schoolId: live.policy.schoolId,
        username: null,
        displayName: p.name,
        profileId: p.id,
        groupIds: [],
        isStaff: false,
      },
      groups: new Set(),
    };
    people.set(person.person.id, person);
  }
  return { ...live.snapshot, people };
}

/**
 * The harmful content the standards' checks name (SWGfL Test Filtering: child abuse, terrorism and
 * adult content) must be blocked for pupils outright. For the rest of the UKSIC list the standards
 * ask schools to manage the content, and a warning page a pupil must click through is a way of
 * managing it that the default policy itself uses (misinformation for the oldest pupils).
 */
const MUST_BLOCK: ReadonlySet<CategoryId> = new Set(['pornography']);

/** What the profile's matrix says for the category at this moment, and why. */
function matrixSays(profile: Profile, category: CategoryId, snapshot: Snapshot, at: Date): { expected: 'block' | 'allow'; why: string } {
  const cell = profile.matrix[category];
  if (!cell) return { expected: profile.defaultAction, why: `${profile.name} has no rule for it; its default is ${profile.defaultAction}` };
  switch (cell.level) {
    case 'acceptable':
      return { expected: 'allow', why: `acceptable for ${profile.name}` };
    case 'at_certain_times': {
      const now = localMoment(snapshot.clock, at).kind;
      const open = (cell.windows ?? []).includes(now);
      return { expected: open ? 'allow' : 'block', why: `allowed for ${profile.name} at certain times; now: ${now.replace('_', ' ')}` };
    }
    case 'nominated_users':
      return { expected: 'block', why: `only for nominated users of ${profile.name}` };
    default:
      return { expected: 'block', why: `${cell.level} for ${profile.name}` };
  }
}

/**
 * When a profile's matrix lets its pupils through a category at some time or to some of them,
 * in words ("at lunch"): the made-up pupil is asked at one moment and is nominated for nothing,
 * so the decision alone would pass a category that is open at lunch or to a nominated pupil.
 */
function sometimesAllowed(profile: Profile, category: CategoryId): string | null {
  const cell = profile.matrix[category];
  if (cell?.level === 'at_certain_times' && (cell.windows ?? []).length > 0)
    return `at ${(cell.windows ?? []).map((w) => w.replace('_', ' ')).join(', ')}`;
  if (cell?.level === 'nominated_users' && (cell.nominatedPersonIds ?? []).length + (cell.nominatedGroupIds ?? []).length > 0)
    return 'to nominated users';
  return null;
}

/**
 * Every filter check of one run: the locked test entries for every profile, the harmful
 * categories blocked for every pupil profile, and the service categories as each profile's
 * matrix says now. Each target goes through `decide`, the function the running filter uses.
 */
export function filterChecks(
  live: LiveFilter,
  samples: ReadonlyMap<CategoryId, readonly string[]>,
  pupilProfileIds: ReadonlySet<string>,
  at: Date,
): Planned[] {
  const snapshot = probeSnapshot(live);
  const out: Planned[] = [];
  for (const c of CATEGORIES) {
    const category: CategoryId = c.id;
    const label = categoryLabel(category);
    const locked = LOCKED_CATEGORIES.includes(category);
    const targets = locked ? [LOCKED_TEST_ENTRIES[category as keyof typeof LOCKED_TEST_ENTRIES]] : (samples.get(category) ?? []);
    if (targets.length === 0) {
      out.push({
        category,
        profile_id: null,
        profile_name: 'All profiles',
        target: '',
        expected: 'block',
        outcome: 'not checked',
        rule: null,
        passed: 0,
        detail: 'no list loaded for this category',
      });
      continue;
    }
    for (const profile of live.policy.profiles) {
      const pupil = pupilProfileIds.has(profile.id);
      for (const target of targets) {
        const decision = decide(snapshot, { clientAddress: '', personId: probeId(profile.id), target, at });
        let expected: 'block' | 'allow' = 'block';
        let passed: boolean;
        let detail: string;
        if (locked) {
          passed = decision.action === 'block' && decision.rule === 'locked_list';
          detail = passed
            ? decision.detail
            : `the locked ${label} list did not block its test entry for ${profile.name}: ${decision.detail}`;
        } else if (c.group === 'harmful' && pupil) {
          const sometimes = sometimesAllowed(profile, category);
          const warned = decision.action === 'warn' && !MUST_BLOCK.has(category);
          passed = (decision.action === 'block' || warned) && sometimes === null;
          detail = !passed
            ? sometimes !== null
              ? `the policy allows ${label} for ${profile.name} ${sometimes}: ${decision.detail}`
              : `the policy allows ${label} for ${profile.name}: ${decision.detail}`
            : warned
              ? `managed with a warning page for ${profile.name}, not blocked; record why under Decisions: ${decision.detail}`
              : decision.detail;
        } else {
          const says = matrixSays(profile, category, snapshot, at);
          expected = says.expected;
          passed = expected === 'block' ? decision.action === 'block' : decision.action !== 'block';
          detail = passed
            ? decision.detail
            : `expected ${expected} (${says.why}), but the filter gave ${decision.action}: ${decision.detail}`;
        }
        out.push({
          category,
          profile_id: profile.id,
          profile_name: profile.name,
          target,
          expected,
          outcome: decision.action,
          rule: decision.rule,
          passed: passed ? 1 : 0,
          detail,
        });
      }
    }
  }
  return out;
}

/** One test phrase per monitoring category through the keyword matcher with the school's library. */
export function monitoringChecks(library: Parameters<typeof compileLibrary>[0], version: number): Planned[] {
  const compiled = compileLibrary(library);
  return MONITOR_CATEGORIES.map((category) => {
    const phrase = MONITOR_TEST_PHRASES[category];
    const matches = scanText(compiled, phrase);
    const hit = matches.find((m) => m.category === category);
    const where = version === 0 ? 'the default keyword library' : `keyword library version ${version}`;
    return {
      category: `monitor:${category}`,
      profile_id: null,
      profile_name: MONITORING_PROFILE,
      target: phrase,
      // Stored as "must be caught": the column speaks the filter's words.
      expected: 'block' as const,
      outcome: hit ? 'alert' : 'no alert',
      rule: hit ? `keyword "${hit.term}" (${hit.severity})` : null,
      passed: hit ? 1 : 0,
      detail: hit
        ? `${where} raises a ${hit.severity} ${category.replace('_', ' ')} alert`
        : `${where} raises no ${category.replace('_', ' ')} alert for this phrase${matches.length ? ` (only ${[...new Set(matches.map((m) => m.category))].join(', ')})` : ''}`,
    };
  });
}

/** Profiles pupils are on: the default pupil profiles, and any profile a pupil resolves to. */
async function pupilProfiles(db: Kysely<DB>, live: LiveFilter): Promise<Set<string>> {
  const pupils = await db
    .selectFrom('people')
    .select('id')
    .where('school_id', '=', live.policy.schoolId)
    .where('kind', '=', 'student')
    .where('status', '=', 'active')
    .execute();
  const ids = new Set(pupils.map((p) => p.id));
  const out = new Set(live.policy.profiles.filter((p) => PUPIL_PROFILE_KEYS.has(p.key)).map((p) => p.id));
  for (const person of live.policy.people) if (ids.has(person.id)) out.add(person.profileId);
  return out;
}

/**
 * Runs every automatic check of a review against the live filter and the school's keyword
 * library, stores each result under one run id and audits the run.
 */
export async function runChecks(
  db: Kysely<DB>,
  runtimeOf: RuntimeSource,
  review: { id: string; school_id: string },
  who: Who,
): Promise<{ runId: string; passed: number; failed: number }> {
  const live = await liveFilter(runtimeOf, review.school_id);
  const samples = new Map<CategoryId, string[]>();
  for (const c of CATEGORIES) {
    if (!LOCKED_CATEGORIES.includes(c.id)) samples.set(c.id, await sampleTargets(db, live.lists, c.id, SAMPLES_PER_CATEGORY));
  }
  const library = await currentLibrary(db, review.school_id);
  const planned = [
    ...filterChecks(live, samples, await pupilProfiles(db, live), who.now),
    ...monitoringChecks(library.entries, library.version),
  ];
  const runId = newId();
  const runAt = who.now.toISOString();
  const rows: FilterReviewCheckTable[] = planned.map((p, i) => ({
    ...p,
    // Ordered within the run, so results read back in the order they were checked.
    id: `${runId}-${String(i).padStart(5, '0')}`,
    review_id: review.id,
    school_id: review.school_id,
    run_id: runId,
    run_at: runAt,
    run_by: who.actor.personId,
  }));
  const failed = rows.filter((r) => r.passed === 0);
  await db.transaction().execute(async (trx) => {
    // SQLite caps the parameters of one statement, so the rows go in batches.
    for (let i = 0; i < rows.length; i += 200)
      await trx
        .insertInto('filter_review_checks')
        .values(rows.slice(i, i + 200))
        .execute();
    // Guarded on status: a review signed off while the checks ran keeps the record it was signed with.
    const open = await trx
      .updateTable('filter_reviews')
      .set({ updated_at: runAt })
      .where('id', '=', review.id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(open.numUpdatedRows) === 0)
      throw new AppError('conflict', 'This review was signed off while the checks ran; nothing was stored.');
    await recordAudit(trx, {
      action: 'review.checks.run',
      actor: who.actor,
      targetType: 'filter_review',
      targetId: review.id,
      schoolId: review.school_id,
      ip: who.ip,
      details: { runId, passed: rows.length - failed.length, failed: failed.length, policyVersion: live.policy.version },
      at: who.now,
    });
  });
  return { runId, passed: rows.length - failed.length, failed: failed.length };
}
