// Reading one school's filtering policy for the engine: a school of 3,000 people (accounts,
// roles, classes, tutor groups, person assignments), on SQLite and on PostgreSQL in one run.
// The runtime reloads a school's policy after every change, so this is the database part of
// "a policy change in force in under 1 s".
// Run: npm run bench -- policy-load   (PostgreSQL from TUTELA_TEST_PG_URL, default the local server)
import { performance } from 'node:perf_hooks';
import { newId } from '../src/db/ids.js';
import { personRow } from '../src/directory/setup.js';
import { ensureDerivedGroups } from '../src/directory/service.js';
import { loadFilterPolicy } from '../src/filter/policy/load.js';
import { seedSchool } from '../src/testing/fixtures.js';
import { createTestStore, testContext } from '../src/testing/store.js';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 3000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);

async function measure(dialect: 'sqlite' | 'postgres') {
  const t = await createTestStore(dialect);
  try {
    const ctx = testContext(t);
    const now = ctx.clock();
    const at = now.toISOString();
    const { schoolId } = await seedSchool(ctx);
    await ensureDerivedGroups(ctx.db, schoolId, [7, 8, 9, 10, 11, 12, 13], now);
    const classes = Array.from({ length: 120 }, (_, i) => ({
      id: newId(),
      school_id: schoolId,
      kind: (i % 4 === 0 ? 'tutor_group' : 'class') as 'tutor_group' | 'class',
      name: `Group ${i}`,
      code: `G${i}`,
      year_group: 7 + (i % 7),
      subject: null,
      status: 'active' as const,
      created_at: at,
      updated_at: at,
    }));
    await ctx.db.insertInto('groups').values(classes).execute();
    const people = Array.from({ length: PEOPLE }, (_, i) =>
      personRow(
        {
          schoolId,
          kind: i % 10 === 0 ? 'staff' : 'student',
          givenName: `Given${i}`,
          familyName: `Family${i}`,
          yearGroup: i % 10 === 0 ? null : 7 + (i % 7),
        },
        now,
      ),
    );
    for (let i = 0; i < people.length; i += 500) {
      const chunk = people.slice(i, i + 500);
      await ctx.db.insertInto('people').values(chunk).execute();
      await ctx.db
        .insertInto('accounts')
        .values(
          chunk.map((p, j) => ({
            id: newId(),
            person_id: p.id!,
            username: `user${i + j}`,
            password_hash: null,
            totp_secret: null,
            totp_pending_secret: null,
            totp_enabled_at: null,
            totp_last_step: null,
            failed_attempts: 0,
            locked_until: null,
            disabled_at: null,
            is_demo: 0,
            last_sign_in_at: null,
            created_at: at,
            updated_at: at,
          })),
        )
        .execute();
      await ctx.db
        .insertInto('person_roles')
        .values(chunk.map((p) => ({ person_id: p.id!, role: p.kind === 'staff' ? 'staff' : 'student', granted_at: at, granted_by: null })))
        .execute();
      // Every student in five groups: four classes and a tutor group.
      const members = chunk.flatMap((p, j) =>
        [0, 1, 2, 3, 4].map((k) => ({
          group_id: classes[(i + j + k * 7) % classes.length]!.id,
          person_id: p.id!,
          member_role: 'member' as const,
        })),
      );
      await ctx.db.insertInto('group_members').values(members).execute();
    }
    let policy = await loadFilterPolicy(ctx.db, schoolId, now);
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      policy = await loadFilterPolicy(ctx.db, schoolId, now);
      times.push(performance.now() - start);
    }
    if (policy.people.length !== PEOPLE) throw new Error(`expected ${PEOPLE} people, got ${policy.people.length}`);
    times.sort((a, b) => a - b);
    return { dialect, median: times[Math.floor(times.length / 2)]!, worst: times.at(-1)! };
  } finally {
    await t.cleanup();
  }
}

console.log(`loadFilterPolicy for a school of ${PEOPLE} people, ${RUNS} runs`);
for (const dialect of ['sqlite', 'postgres'] as const) {
  const r = await measure(dialect);
  console.log(`  ${r.dialect.padEnd(8)} median ${r.median.toFixed(1).padStart(7)} ms   worst ${r.worst.toFixed(1).padStart(7)} ms`);
}
