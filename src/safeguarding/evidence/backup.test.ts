import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { backupEvidence, evidenceBackupPath, restoreEvidence } from './backup.js';

describe('evidence files in backups', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'tutela-evidence-backup-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const dataDir = path.join(root, 'data');
  const file = (name: string) => path.join(dataDir, 'evidence', 'school-1', name);

  it('has nothing to copy before any evidence is uploaded', () => {
    mkdirSync(dataDir, { recursive: true });
    assert.deepEqual(backupEvidence(dataDir, path.join(root, 'empty.bak')), { copied: false });
    assert.equal(existsSync(evidenceBackupPath(path.join(root, 'empty.bak'))), false);
  });

  it('copies the files beside the backup and puts them back on restore', () => {
    mkdirSync(path.dirname(file('a.bin')), { recursive: true });
    writeFileSync(file('a.bin'), 'ciphertext A');
    const backup = path.join(root, 'tutela.bak');
    assert.deepEqual(backupEvidence(dataDir, backup), { copied: true });
    assert.equal(readFileSync(path.join(evidenceBackupPath(backup), 'school-1', 'a.bin'), 'utf8'), 'ciphertext A');

    // After the backup a file changes and another appears; the restore brings back the backup's set.
    writeFileSync(file('a.bin'), 'tampered');
    writeFileSync(file('b.bin'), 'later upload');
    assert.deepEqual(restoreEvidence(dataDir, backup), { restored: true });
    assert.equal(readFileSync(file('a.bin'), 'utf8'), 'ciphertext A');
    assert.equal(existsSync(file('b.bin')), false);
    assert.equal(existsSync(path.join(dataDir, 'evidence.restoring')), false, 'no staging folder left behind');
  });

  it('refuses to overwrite an earlier backup of the files', () => {
    const backup = path.join(root, 'tutela.bak');
    assert.throws(() => backupEvidence(dataDir, backup));
  });

  it('leaves the live files alone when the backup has none', () => {
    assert.deepEqual(restoreEvidence(dataDir, path.join(root, 'empty.bak')), { restored: false });
    assert.equal(readFileSync(file('a.bin'), 'utf8'), 'ciphertext A');
  });
});
