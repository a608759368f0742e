import type { Kysely } from 'kysely';
import { recordDemoAcceptances } from '../agreements/demo.js';
import { recordAudit } from '../audit/service.js';
import { generatePassword } from '../auth/passwords.js';
import { createAccount } from '../auth/users.js';
import type { DB } from '../db/tables.js';
import { ensureDerivedGroups } from '../directory/service.js';
import { createSchool, createTrust } from '../directory/setup.js';
import { AppError } from '../errors/errors.js';
import { approveDemoPolicy } from '../policy/demo.js';
import { recordDemoReview } from '../review/demo.js';
import { recordDemoTraining } from '../training/demo.js';
import { schoolToday } from '../training/rules.js';
import type { AppContext } from '../server/context.js';
import { buildDemoPlan, DEFAULT_DEMO_SEED, DEMO_URN } from './plan.js';
import { YEARS } from './students.js';
import type { DemoPlan } from './types.js';
import { writePlan } from './writer.js';

export { buildDemoPlan, DEFAULT_DEMO_SEED, DEMO_SCHOOL_NAME, DEMO_TRUST_NAME, DEMO_URN } from './plan.js';

export interface DemoCounts {
  students: number;
  staff: number;
  parents: number;
  governors: number;
  guests: number;
  classes: number;
  tutorGroups: number;
}

export interface DemoResult {
  trustId: string;
  schoolId: string;
  schoolName: string;
  /** The one password of every demo account: the one given, else a generated one to show once. */
  password: string;
  accounts: { username: string; role: string; description: string }[];
  counts: DemoCounts;
}

/** Whether the demo school is in this database. */
export async function hasDemoSchool(db: Kysely<DB>): Promise<boolean> {
  return Boolean(await db.selectFrom('schools').select('id').where('urn', '=', DEMO_URN).executeTakeFirst());
}

export function countPlan(plan: DemoPlan): DemoCounts {
  const people = (kind: string) => plan.people.filter((p) => p.kind === kind).length;
  const groups = (kind: string) => plan.groups.filter((g) => g.kind === kind).length;
  return {
    students: people('student'),
    staff: people('staff'),
    parents: people('parent'),
    governors: people('governor'),
    guests: people('guest'),
    classes: groups('class'),
    tutorGroups: groups('tutor_group'),
  };
}

/**
 * Creates Riverside Academy, a fictional 11–18 school of about 1,200 students with staff,
 * parents, governors, classes and tutor groups, plus nine sign-in accounts (`demo.dsl`,
 * `demo.head`, …) that share one password. Only for an empty database: real schools' data
 * must never sit beside made-up people.
 *
 * @example
 *   const demo = await createDemoSchool(ctx, { password: 'demo-password' });
 *   demo.accounts.map((a) => a.username); // ['demo.dsl', 'demo.head', ...]
 */
export async function createDemoSchool(ctx: AppContext, options: { password?: string; seed?: number } = {}): Promise<DemoResult> {
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  if (!Number.isSafeInteger(seed)) throw new AppError('validation_failed', 'The demo seed must be a whole number');
  if (options.password !== undefined && options.password.trim() === '') {
    throw new AppError('validation_failed', 'The demo password must not be empty');
  }
  const now = ctx.clock();
  const plan = buildDemoPlan(seed, now);
  const counts = countPlan(plan);
  const password = options.password ?? generatePassword();

  // The demo school's fixed URN is unique, so two demo runs racing each other cannot both commit.
  const { trustId, schoolId, ids } = await ctx.db.transaction().execute(async (trx) => {
    if (await trx.selectFrom('schools').select('id').limit(1).executeTakeFirst()) {
      throw new AppError('conflict', 'The demo school can only be created in an empty database, and this one already has a school.');
    }
    const trustId = await createTrust(trx, plan.trustName, now);
    const schoolId = await createSchool(trx, { trustId, name: plan.schoolName, urn: plan.urn, phase: 'secondary' }, now);
    const ids = await writePlan(trx, plan, schoolId, now);
    await ensureDerivedGroups(trx, schoolId, YEARS, now);
    await recordAudit(trx, {
      action: 'demo.created',
      targetType: 'school',
      targetId: schoolId,
      schoolId,
      details: { seed, counts },
      at: now,
    });
    return { trustId, schoolId, ids };
  });

  // createAccount opens its own transaction (and hashes slowly), so accounts follow the commit.
  for (const account of plan.accounts) {
    await createAccount(
      ctx.db,
      { personId: ids.get(account.person)!, username: account.username, password, isDemo: true },
      { actor: null, ip: null, now },
    );
  }
  await recordDemoAcceptances(ctx.db, plan, schoolId, ids, now);
  await approveDemoPolicy(ctx.db, schoolId, now);
  await recordDemoReview(ctx.db, plan, schoolId, ids, now);
  await recordDemoTraining(ctx.db, plan, schoolId, ids, schoolToday(now));
  return {
    trustId,
    schoolId,
    schoolName: plan.schoolName,
    password,
    accounts: plan.accounts.map(({ username, role, description }) => ({ username, role, description })),
    counts,
  };
}
