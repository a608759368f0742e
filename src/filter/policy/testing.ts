import type { Role } from '../../access/roles.js';
import { ensureFilterPolicy } from './ensure.js';
import { ensureDerivedGroups } from '../../directory/service.js';
import { addUser, seedSchool, TEST_PASSWORD } from '../../testing/fixtures.js';
import { sessionPool, startTestServer } from '../../testing/http.js';
import { createTestStore, testContext, type TestStore } from '../../testing/store.js';

/** A school with one person in each role the filtering rules name, and a running server. */
export async function policyWorld() {
  const store: TestStore = await createTestStore();
  const ctx = testContext(store, { TUTELA_DEMO_PASSWORD: TEST_PASSWORD });
  const { schoolId, trustId } = await seedSchool(ctx);
  await ensureDerivedGroups(ctx.db, schoolId, [5, 8, 10, 12], ctx.clock());
  const user = (username: string, roles: Role[], options: { yearGroup?: number } = {}) =>
    addUser(ctx, schoolId, username, roles, { ...options, isDemo: true });
  const people = {
    netman: await user('nat.netman', ['staff', 'network_manager']),
    dsl: await user('dee.dsl', ['staff', 'dsl']),
    head: await user('hal.head', ['staff', 'head']),
    teacher: await user('tia.teacher', ['staff']),
    governor: await user('gil.governor', ['governor']),
    parent: await user('pat.parent', ['parent']),
    student: await user('sue.student', ['student'], { yearGroup: 8 }),
    both: await user('bo.both', ['staff', 'network_manager', 'dsl']),
  };
  const server = await startTestServer(ctx);
  const as = sessionPool(server.url, TEST_PASSWORD);
  return {
    ctx,
    schoolId,
    trustId,
    people,
    server,
    as,
    close: async () => {
      await server.close();
      await store.cleanup();
    },
  };
}

export type PolicyWorld = Awaited<ReturnType<typeof policyWorld>>;

export async function policyVersion(world: PolicyWorld): Promise<number> {
  await ensureFilterPolicy(world.ctx.db, world.schoolId, world.ctx.clock);
  const row = await world.ctx.db
    .selectFrom('filter_settings')
    .select('policy_version')
    .where('school_id', '=', world.schoolId)
    .executeTakeFirstOrThrow();
  return Number(row.policy_version);
}
