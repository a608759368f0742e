import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newId } from '../../db/ids.js';
import { addUser, seedSchool } from '../../testing/fixtures.js';
import { createTestStore, type TestStore, testContext } from '../../testing/store.js';
import { Attributor, defaultSchoolId, userPart } from './attribute.js';

describe('userPart', () => {
  it('takes the user out of DOMAIN\\user and user@domain forms', () => {
    assert.equal(userPart('SCHOOL\\Jane.Smith'), 'jane.smith');
    assert.equal(userPart('jane.smith@school.example'), 'jane.smith');
    assert.equal(userPart(' Jane '), 'jane');
    assert.equal(userPart('@odd'), '@odd');
  });
});

describe('Attributor', () => {
  let t: TestStore;
  let ctx: ReturnType<typeof testContext>;
  let schoolId: string;
  let otherSchoolId: string;
  const ids: Record<string, string> = {};

  before(async () => {
    t = await createTestStore();
    ctx = testContext(t);
    ({ schoolId } = await seedSchool(ctx, 'First School'));
    ({ schoolId: otherSchoolId } = await seedSchool(ctx, 'Second School'));
    ids.jane = (await addUser(ctx, schoolId, 'jane.smith', ['student'], { yearGroup: 9 })).personId;
    ids.email = (await addUser(ctx, schoolId, 'tom.jones', ['student'], { yearGroup: 9 })).personId;
    ids.otherJane = (await addUser(ctx, otherSchoolId, 'jane.other', ['student'])).personId;
    ids.deviceOwner = (await addUser(ctx, schoolId, 'dev.owner', ['staff'])).personId;
    await ctx.db
      .insertInto('filter_address_signins')
      .values([
        {
          address: '10.0.0.5',
          school_id: schoolId,
          person_id: ids.jane,
          created_at: '2026-11-24T09:00:00.000Z',
          until_at: '2026-11-24T10:00:00.000Z',
        },
        // Signed in on the device that is registered to someone else: the sign-in wins.
        {
          address: '10.0.0.9',
          school_id: schoolId,
          person_id: ids.email,
          created_at: '2026-11-24T09:00:00.000Z',
          until_at: '2026-11-24T10:00:00.000Z',
        },
      ])
      .execute();
    await ctx.db
      .insertInto('filter_devices')
      .values([
        {
          id: newId(),
          school_id: schoolId,
          name: 'Staff laptop',
          address: '10.0.0.9',
          mac: null,
          person_id: ids.deviceOwner,
          profile_id: null,
          created_at: '2026-01-01T00:00:00Z',
        },
        {
          id: newId(),
          school_id: schoolId,
          name: 'Lab PC',
          address: '10.0.0.20',
          mac: null,
          person_id: ids.deviceOwner,
          profile_id: null,
          created_at: '2026-01-01T00:00:00Z',
        },
        {
          id: newId(),
          school_id: schoolId,
          name: 'Shared',
          address: '10.0.0.30',
          mac: null,
          person_id: null,
          profile_id: null,
          created_at: '2026-01-01T00:00:00Z',
        },
      ])
      .execute();
  });
  after(async () => {
    await t.cleanup();
  });

  const at = new Date('2026-11-24T09:30:00Z');

  it('finds people by username, whatever the case and domain form', async () => {
    const a = new Attributor(ctx.db);
    assert.deepEqual(await a.resolve(schoolId, { username: 'Jane.Smith' }, at), { personId: ids.jane, username: 'Jane.Smith' });
    assert.equal((await a.resolve(schoolId, { username: 'SCHOOL\\jane.smith' }, at)).personId, ids.jane);
    assert.equal((await a.resolve(schoolId, { username: 'jane.smith@school.example' }, at)).personId, ids.jane);
    assert.equal((await a.resolve(schoolId, { username: 'TOM.JONES@school.example' }, at)).personId, ids.email);
    assert.equal((await a.resolve(schoolId, { username: 'tom' }, at)).personId, null, 'a prefix is not a user part');
  });

  it('names nobody when the username belongs to another school', async () => {
    const a = new Attributor(ctx.db);
    assert.deepEqual(await a.resolve(schoolId, { username: 'jane.other' }, at), { personId: null, username: 'jane.other' });
    assert.equal((await a.resolve(otherSchoolId, { username: 'jane.other' }, at)).personId, ids.otherJane);
  });

  it('keeps an unknown username and still tries the address', async () => {
    const a = new Attributor(ctx.db);
    assert.deepEqual(await a.resolve(schoolId, { username: 'nobody.here' }, at), { personId: null, username: 'nobody.here' });
    assert.deepEqual(await a.resolve(schoolId, { username: 'nobody.here', address: '10.0.0.5' }, at), {
      personId: ids.jane,
      username: 'nobody.here',
    });
  });

  it('uses the address sign-in in force at the time of the event, then a device registered to a person', async () => {
    const a = new Attributor(ctx.db);
    assert.deepEqual(await a.resolve(schoolId, { address: '10.0.0.5' }, at), { personId: ids.jane, username: 'jane.smith' });
    assert.equal(
      (await a.resolve(schoolId, { address: '10.0.0.5' }, new Date('2026-11-24T08:59:59Z'))).personId,
      null,
      'before the sign-in',
    );
    assert.equal((await a.resolve(schoolId, { address: '10.0.0.5' }, new Date('2026-11-24T10:00:00Z'))).personId, null, 'once it expired');
    assert.equal((await a.resolve(schoolId, { address: '10.0.0.9' }, at)).personId, ids.email, 'a sign-in beats the device owner');
    assert.equal((await a.resolve(schoolId, { address: '10.0.0.9' }, new Date('2026-11-24T11:00:00Z'))).personId, ids.deviceOwner);
    assert.equal((await a.resolve(schoolId, { address: '10.0.0.20' }, at)).personId, ids.deviceOwner);
    assert.equal((await a.resolve(schoolId, { address: '10.0.0.30' }, at)).personId, null, 'a device with no person');
    assert.equal((await a.resolve(otherSchoolId, { address: '10.0.0.5' }, at)).personId, null, "another school's sign-in");
  });

  it('reads the directory once per school while it is fresh, and again once it is stale', async () => {
    let now = 1_000_000;
    const a = new Attributor(ctx.db, { directoryTtlMs: 10_000, now: () => now });
    assert.equal((await a.resolve(schoolId, { username: 'late.joiner' }, at)).personId, null);
    const late = await addUser(ctx, schoolId, 'late.joiner', ['student']);
    now += 5_000;
    assert.equal((await a.resolve(schoolId, { username: 'late.joiner' }, at)).personId, null, 'still the cached directory');
    now += 6_000;
    assert.equal((await a.resolve(schoolId, { username: 'late.joiner' }, at)).personId, late.personId);
  });
});

describe('defaultSchoolId', () => {
  it("is null with no school, else the installation's first school", async () => {
    const t = await createTestStore();
    try {
      const ctx = testContext(t);
      assert.equal(await defaultSchoolId(ctx.db), null);
      const first = await seedSchool(ctx, 'First');
      ctx.clock.advance(1);
      await seedSchool(ctx, 'Second');
      assert.equal(await defaultSchoolId(ctx.db), first.schoolId);
    } finally {
      await t.cleanup();
    }
  });
});
