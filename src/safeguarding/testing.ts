import type { Role } from '../access/roles.js';
import { startSmtpSink } from '../notify/test-support.js';
import { addUser, seedSchool, TEST_PASSWORD } from '../testing/fixtures.js';
import { sessionPool, startTestServer } from '../testing/http.js';
import { createTestStore, testContext } from '../testing/store.js';

/**
 * Two schools of one trust, a person in every role the incident rules name (with e-mail
 * addresses for the responders), a real SMTP sink the server mails, and a running server;
 * `as` signs each person in once. The concerns, response and insight tests share it.
 */
export async function safeguardingWorld() {
  const store = await createTestStore();
  const smtp = await startSmtpSink();
  const ctx = testContext(store, { TUTELA_DEMO_PASSWORD: TEST_PASSWORD, TUTELA_SMTP_URL: smtp.url });
  ctx.clock.set(new Date('2026-11-24T09:00:00Z'));
  const { schoolId, trustId } = await seedSchool(ctx, 'Milford Haven School');
  const other = await seedSchool(ctx, 'Other School', trustId);
  const user = (username: string, roles: Role[], options: { yearGroup?: number } = {}, school = schoolId) =>
    addUser(ctx, school, username, roles, { ...options, isDemo: true });
  const people = {
    dsl: await user('dee.dsl', ['staff', 'dsl']),
    head: await user('hal.head', ['staff', 'head']),
    hr: await user('hana.hr', ['staff', 'hr']),
    teacher: await user('tia.teacher', ['staff']),
    colleague: await user('col.colleague', ['staff']),
    governor: await user('gil.governor', ['governor']),
    student: await user('sam.student', ['student'], { yearGroup: 8 }),
    witness: await user('wendy.witness', ['student'], { yearGroup: 8 }),
    parent: await user('pat.parent', ['parent']),
    otherDsl: await user('oda.dsl', ['staff', 'dsl'], {}, other.schoolId),
    otherStudent: await user('ozzy.student', ['student'], { yearGroup: 8 }, other.schoolId),
  };
  for (const [person, email] of [
    [people.dsl, 'dsl@school.example'],
    [people.head, 'head@school.example'],
    [people.hr, 'hr@school.example'],
    [people.colleague, 'colleague@school.example'],
  ] as const) {
    await ctx.db.updateTable('people').set({ email }).where('id', '=', person.personId).execute();
  }
  const server = await startTestServer(ctx);
  return {
    ctx,
    schoolId,
    trustId,
    otherSchoolId: other.schoolId,
    people,
    as: sessionPool(server.url, TEST_PASSWORD),
    mail: smtp.messages,
    close: async () => {
      await server.close();
      await smtp.close();
      await store.cleanup();
    },
  };
}

export type SafeguardingWorld = Awaited<ReturnType<typeof safeguardingWorld>>;
