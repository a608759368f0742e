import type { Role } from '../access/roles.js';
import { newId } from '../db/ids.js';
import type { IncidentTable } from '../db/tables.js';
import { startSmtpSink } from '../notify/test-support.js';
import { addUser, seedSchool, TEST_PASSWORD } from '../testing/fixtures.js';
import { sessionPool, startTestServer } from '../testing/http.js';
import type { AppContext } from '../server/context.js';
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
    /** An open incident about the world's student, reported by the teacher, with a witness. */
    studentIncident: (options: { category?: string; urgency?: IncidentTable['urgency'] } = {}) =>
      insertIncident(ctx, {
        schoolId,
        reportedBy: people.teacher.personId,
        subjectKind: 'student',
        subjects: [people.student.personId],
        witnesses: [people.witness.personId],
        ...options,
      }),
    mail: smtp.messages,
    close: async () => {
      await server.close();
      await smtp.close();
      await store.cleanup();
    },
  };
}

export type SafeguardingWorld = Awaited<ReturnType<typeof safeguardingWorld>>;

let sequence = 0;

/**
 * Inserts an incident as the concerns routes would, so the response routes can be tested on
 * their own. Subjects are listed first; witnesses are there to prove they never leak.
 */
export async function insertIncident(
  ctx: AppContext,
  input: {
    schoolId: string;
    reportedBy: string;
    subjectKind: IncidentTable['subject_kind'];
    subjects: string[];
    witnesses?: string[];
    category?: string;
    urgency?: IncidentTable['urgency'];
  },
): Promise<{ id: string; reference: string }> {
  const id = newId();
  const now = ctx.clock().toISOString();
  sequence += 1;
  const reference = `INC-TEST-${String(sequence).padStart(4, '0')}`;
  await ctx.db
    .insertInto('incidents')
    .values({
      id,
      school_id: input.schoolId,
      reference,
      subject_kind: input.subjectKind,
      category: input.category ?? 'cyberbullying',
      incident_type: null,
      urgency: input.urgency ?? 'medium',
      status: 'open',
      summary: 'Unkind messages in a group chat',
      occurred_at: now,
      location: 'in_school',
      reported_by: input.reportedBy,
      reporter_kind: 'staff',
      outcome: null,
      closed_by: null,
      closed_at: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  const people = [
    ...input.subjects.map((person_id) => ({ incident_id: id, person_id, role: 'subject' as const })),
    ...(input.witnesses ?? []).map((person_id) => ({ incident_id: id, person_id, role: 'witness' as const })),
  ];
  await ctx.db.insertInto('incident_people').values(people).execute();
  return { id, reference };
}
