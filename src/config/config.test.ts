import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    assert.equal(c.web.port, 8080);
    assert.equal(c.dns.port, 5353);
    assert.equal(c.proxy.port, 3128);
    assert.equal(c.session.idleLockMinutes, 10);
    assert.equal(c.databaseUrl, undefined);
    assert.equal(c.dataDir, path.resolve('./data'));
  });

  it('reads a file and lets the environment win', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tutela-config-'));
    try {
      writeFileSync(
        path.join(dir, 'tutela.json'),
        JSON.stringify({ web: { port: 9000, publicUrl: 'https://t.example' }, session: { idleLockMinutes: 5 } }),
      );
      const c = loadConfig({ TUTELA_DATA_DIR: dir, TUTELA_WEB_PORT: '9100' });
      assert.equal(c.web.port, 9100);
      assert.equal(c.web.publicUrl, 'https://t.example');
      assert.equal(c.session.idleLockMinutes, 5);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('reads the filter settings, with the locked lists as JSON in the environment', () => {
    const c = loadConfig({
      TUTELA_DNS_UPSTREAMS: '127.0.0.1:5300, 10.0.0.53',
      TUTELA_LOCKED_LISTS: JSON.stringify([{ category: 'illegal_csam', source: '/srv/iwf.txt', format: 'sha256' }]),
    });
    assert.deepEqual(c.dns.upstreams, ['127.0.0.1:5300', '10.0.0.53']);
    assert.deepEqual(c.filter.lockedLists, [{ category: 'illegal_csam', source: '/srv/iwf.txt', format: 'sha256' }]);
    assert.equal(c.filter.maxShrinkPercent, 50);
    assert.deepEqual(loadConfig({}).filter.lockedLists, []);
  });

  it('refuses a locked list for any other category, a bad format or broken JSON', () => {
    const bad = (value: unknown) => loadConfig({ TUTELA_LOCKED_LISTS: typeof value === 'string' ? value : JSON.stringify(value) });
    assert.throws(() => bad([{ category: 'gambling', source: 'x' }]), /category must be illegal_csam or illegal_terrorism/);
    assert.throws(() => bad([{ category: 'illegal_csam', source: 'x', format: 'md5' }]), /format must be plain or sha256/);
    assert.throws(() => bad([{ category: 'illegal_csam' }]), /source must be a file or URL/);
    assert.throws(() => bad('[{'), /TUTELA_LOCKED_LISTS must be a JSON list/);
    assert.throws(() => loadConfig({ TUTELA_DNS_UPSTREAMS: ' , ' }), /TUTELA_DNS_UPSTREAMS must list at least one value/);
  });

  it('stops with a message naming a bad setting', () => {
    assert.throws(
      () => loadConfig({ TUTELA_WEB_PORT: 'eighty' }),
      (e: unknown) => e instanceof ConfigError && /TUTELA_WEB_PORT/.test(e.message),
    );
    assert.throws(() => loadConfig({ TUTELA_IDLE_LOCK_MINUTES: '0' }), /TUTELA_IDLE_LOCK_MINUTES/);
    assert.throws(() => loadConfig({ TUTELA_LOG_LEVEL: 'loud' }), /TUTELA_LOG_LEVEL/);
    assert.throws(() => loadConfig({ TUTELA_OIDC_GOOGLE_CLIENT_ID: 'x' }), /CLIENT_SECRET/);
  });

  it('refuses unknown keys and broken JSON in the file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tutela-config-'));
    try {
      const file = path.join(dir, 'c.json');
      writeFileSync(file, JSON.stringify({ webPort: 80 }));
      assert.throws(() => loadConfig({ TUTELA_CONFIG: file }), /unknown setting "webPort"/);
      writeFileSync(file, '{ not json');
      assert.throws(() => loadConfig({ TUTELA_CONFIG: file }), /cannot read config file/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
