import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { addUser, seedSchool } from '../testing/fixtures.js';
import { createTestStore, testContext, type TestStore } from '../testing/store.js';
import { smtpMailer } from './mailer.js';
import { createNotifications, listNotifications, markNotificationRead, peopleInRoles } from './service.js';
import { startSmtpSink } from './test-support.js';

describe('notifications', () => {
  let t: TestStore;
  beforeEach(async () => {
    t = await createTestStore();
  });
  afterEach(async () => t.cleanup());

  it('lists unread first, newest first, and marks only the recipient’s own as read', async () => {
    const ctx = testContext(t);
    const { schoolId } = await seedSchool(ctx);
    const dsl = await addUser(ctx, schoolId, 'dee.dsl', ['staff', 'dsl']);
    const other = await addUser(ctx, schoolId, 'oli.other', ['staff']);
    const note = (title: string, minute: number) =>
      createNotifications(ctx.db, {
        schoolId,
        recipientIds: [dsl.personId, dsl.personId],
        kind: 'test',
        title,
        body: 'body',
        link: null,
        at: new Date(Date.UTC(2026, 10, 24, 9, minute)),
      });
    assert.equal(await note('first', 1), 1, 'one row per distinct recipient');
    await note('second', 2);
    await note('third', 3);
    const all = await listNotifications(ctx.db, dsl.personId);
    assert.deepEqual(
      all.map((n) => n.title),
      ['third', 'second', 'first'],
    );
    const read = await markNotificationRead(ctx.db, dsl.personId, all[0]!.id, new Date(Date.UTC(2026, 10, 24, 10)));
    assert.equal(read.readAt, '2026-11-24T10:00:00.000Z');
    assert.deepEqual(
      (await listNotifications(ctx.db, dsl.personId)).map((n) => n.title),
      ['second', 'first', 'third'],
    );
    await assert.rejects(markNotificationRead(ctx.db, other.personId, all[1]!.id, new Date()), { id: 'not_found' });
    assert.deepEqual(await listNotifications(ctx.db, other.personId), []);
    assert.deepEqual(
      (await peopleInRoles(ctx.db, schoolId, ['dsl'])).map((p) => p.id),
      [dsl.personId],
    );
  });

  it('sends e-mail over SMTP', async () => {
    const sink = await startSmtpSink();
    const mailer = smtpMailer({ url: sink.url, from: 'Tutela <tutela@school.example>' })!;
    try {
      await mailer.send({ to: 'dsl@school.example', subject: 'Filter alert', text: 'Line one\n.\nLine three' });
      assert.equal(sink.messages.length, 1);
      assert.deepEqual(sink.messages[0]!.to, ['dsl@school.example']);
      assert.match(sink.messages[0]!.data, /Subject: Filter alert/);
      assert.match(sink.messages[0]!.data, /Line one\n\.\nLine three/, 'a lone dot survives transparency');
    } finally {
      mailer.close();
      await sink.close();
    }
    assert.equal(smtpMailer({ url: undefined, from: 'x' }), null);
  });
});
