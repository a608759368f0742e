import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CredentialCache, parseBasic } from './credentials.js';

describe('proxy credentials', () => {
  it('reads Basic credentials, with a colon allowed in the password', () => {
    const header = `Basic ${Buffer.from('sam.pupil:pa:ss wörd').toString('base64')}`;
    assert.deepEqual(parseBasic(header), { username: 'sam.pupil', password: 'pa:ss wörd' });
    for (const bad of [undefined, '', 'Bearer x', 'Basic', `Basic ${Buffer.from('no-colon').toString('base64')}`, 'Basic ***']) {
      assert.equal(parseBasic(bad), null, String(bad));
    }
  });

  it('checks each username and password once while the answer is fresh, then again', async () => {
    let now = 0;
    const calls: string[] = [];
    const cache = new CredentialCache(
      async (u, p) => {
        calls.push(`${u}:${p}`);
        return p === 'right' ? { personId: `id-${u}` } : null;
      },
      () => now,
    );
    const [a, b] = await Promise.all([cache.lookup('sam', 'right'), cache.lookup('sam', 'right')]);
    assert.deepEqual(a, { personId: 'id-sam' });
    assert.deepEqual(b, { personId: 'id-sam' });
    assert.equal(await cache.lookup('sam', 'wrong'), null);
    assert.equal(await cache.lookup('sam', 'wrong'), null);
    assert.deepEqual(calls, ['sam:right', 'sam:wrong'], 'concurrent and repeated lookups share one check');
    now += 31_000;
    await cache.lookup('sam', 'wrong');
    await cache.lookup('sam', 'right');
    assert.deepEqual(calls, ['sam:right', 'sam:wrong', 'sam:wrong'], 'a rejection is forgotten sooner than a success');
    now += 5 * 60_000;
    await cache.lookup('sam', 'right');
    assert.equal(calls.at(-1), 'sam:right');
    assert.equal(calls.length, 4);
  });

  it('does not remember a failing directory', async () => {
    let fail = true;
    const cache = new CredentialCache(async () => {
      if (fail) throw new Error('directory down');
      return { personId: 'p' };
    });
    await assert.rejects(cache.lookup('sam', 'right'), /directory down/);
    await new Promise((r) => setImmediate(r));
    fail = false;
    assert.deepEqual(await cache.lookup('sam', 'right'), { personId: 'p' });
  });
});
