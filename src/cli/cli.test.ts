import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { seedSchool } from '../testing/fixtures.js';
import { createTestStore, testContext, type TestStore } from '../testing/store.js';
import { runCli } from '../testing/cli.js';

describe('the tutela command', () => {
  let t: TestStore;
  const run = (...args: string[]) => runCli(t, args);

  before(async () => {
    t = await createTestStore();
  });
  after(async () => t.cleanup());

  it('explains every command with --help', () => {
    const top = run('--help');
    assert.equal(top.code, 0);
    for (const cmd of ['start', 'migrate', 'demo', 'import', 'user', 'backup', 'restore', 'audit'])
      assert.match(top.out, new RegExp(`\\b${cmd}\\b`));
    for (const cmd of [
      ['start'],
      ['migrate'],
      ['demo'],
      ['import'],
      ['user', 'create'],
      ['user', 'reset-password'],
      ['user', 'disable'],
      ['backup'],
      ['restore'],
      ['audit', 'verify'],
      ['evidence', 'verify'],
      ['retention', 'run'],
      ['retention', 'status'],
      ['monitor', 'scan'],
    ]) {
      const r = run(...cmd, '--help');
      assert.equal(r.code, 0, `${cmd.join(' ')} --help`);
      assert.match(r.out, /Usage: tutela/);
    }
  });

  it('says clearly when there is no school yet', () => {
    const r = run('user', 'create', '--username', 'a.admin', '--given-name', 'A', '--family-name', 'Admin');
    assert.notEqual(r.code, 0);
    assert.match(r.err, /no school yet/);
  });

  it('creates, disables and resets users, refusing unknown roles', async () => {
    await seedSchool(testContext(t));
    const bad = run('user', 'create', '--username', 'x.y', '--given-name', 'X', '--family-name', 'Y', '--role', 'wizard');
    assert.notEqual(bad.code, 0);
    assert.match(bad.err, /unknown role wizard/);
    const created = run(
      'user',
      'create',
      '--username',
      'jo.smith',
      '--given-name',
      'Jo',
      '--family-name',
      'Smith',
      '--role',
      'staff',
      'dsl',
    );
    assert.equal(created.code, 0, created.err);
    assert.match(created.out, /Password \(shown once\): \S+/);
    const account = await t.store.db.selectFrom('accounts').selectAll().where('username', '=', 'jo.smith').executeTakeFirstOrThrow();
    const roles = await t.store.db
      .selectFrom('person_roles')
      .select('role')
      .where('person_id', '=', account.person_id)
      .orderBy('role')
      .execute();
    assert.deepEqual(
      roles.map((r) => r.role),
      ['dsl', 'staff'],
    );
    assert.equal(run('user', 'disable', 'jo.smith').code, 0);
    const disabled = await t.store.db.selectFrom('accounts').select('disabled_at').where('id', '=', account.id).executeTakeFirstOrThrow();
    assert.ok(disabled.disabled_at);
    const reset = run('user', 'reset-password', 'jo.smith', '--password', 'short');
    assert.notEqual(reset.code, 0);
    assert.match(reset.err, /at least 10 characters/);
    assert.notEqual(run('user', 'disable', 'no.such.user').code, 0);
    const noEnd = run('user', 'create', '--username', 'g.guest', '--given-name', 'G', '--family-name', 'Guest', '--role', 'guest');
    assert.notEqual(noEnd.code, 0);
    assert.match(noEnd.err, /date their access ends/);
    const guest = run(
      'user',
      'create',
      '--username',
      'g.guest',
      '--given-name',
      'G',
      '--family-name',
      'Guest',
      '--role',
      'guest',
      '--expires',
      '2099-01-31',
    );
    assert.equal(guest.code, 0, guest.err);
    const row = await t.store.db.selectFrom('people').select('expires_at').where('family_name', '=', 'Guest').executeTakeFirstOrThrow();
    assert.equal(row.expires_at, '2099-01-31T00:00:00.000Z');
  });

  it('verifies the audit chain and exits 3 when it was tampered with', async () => {
    const ok = run('audit', 'verify');
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /intact/);
    await t.store.db.updateTable('audit_log').set({ action: 'edited' }).where('seq', '=', 1).execute();
    const broken = run('audit', 'verify');
    assert.equal(broken.code, 3);
    assert.match(broken.err, /BROKEN at entry 1/);
  });

  it('imports a CSV from the command line, dry run first', async () => {
    const file = path.join(t.dataDir, 'students.csv');
    writeFileSync(file, 'UPN,Forename,Surname,Year,DOB,Reg Group\nA123456789012,Ada,Lovelace,7,10/12/2014,7A\n');
    const dry = run('import', 'students', file, '--dry-run');
    assert.equal(dry.code, 0, dry.err);
    assert.equal(JSON.parse(dry.out).status, 'dry_run');
    assert.equal((await t.store.db.selectFrom('people').selectAll().where('kind', '=', 'student').execute()).length, 0);
    const applied = run('import', 'students', file);
    assert.equal(applied.code, 0, applied.err);
    assert.equal(JSON.parse(applied.out).created, 1);
    writeFileSync(file, 'UPN,Forename,Surname,Year,DOB\nA123456789012,Ada,Lovelace,7,31/02/2014\n');
    const rejected = run('import', 'students', file);
    assert.equal(rejected.code, 2);
  });

  it('refuses a restore without --yes', () => {
    const r = run('restore', path.join(t.dataDir, 'nothing.bak'));
    assert.notEqual(r.code, 0);
    assert.match(r.err, /--yes/);
  });
});
