import type { Command } from 'commander';
import { loadConfig } from '../../config/config.js';
import { backupStore, restoreStore } from '../../db/backup.js';
import { openStore } from '../../db/database.js';
import { verifyAuditChain } from '../../audit/service.js';
import { backupEvidence, evidenceBackupPath, restoreEvidence } from '../../safeguarding/evidence/backup.js';

export function registerBackupCommands(program: Command): void {
  program
    .command('backup')
    .description(
      'Take a consistent online backup (SQLite backup API, or pg_dump for PostgreSQL), with the encrypted evidence files beside it',
    )
    .argument('<file>', 'where to write the backup; must not exist')
    .action(async (file: string) => {
      const config = loadConfig(process.env);
      const store = openStore(config);
      try {
        const { bytes } = await backupStore(store, file);
        console.log(`Backup written to ${file} (${(bytes / 1024).toFixed(0)} KiB).`);
        if (backupEvidence(config.dataDir, file).copied) {
          console.log(`Evidence files (still encrypted) copied to ${evidenceBackupPath(file)}; keep the evidence key apart from them.`);
        }
      } finally {
        await store.close().catch(() => {});
      }
    });

  program
    .command('restore')
    .description('Replace the database with a backup (stop Tutela first)')
    .argument('<file>', 'a file made by `tutela backup`')
    .option('--yes', 'confirm that the current data will be replaced')
    .action(async (file: string, o: { yes?: boolean }) => {
      if (!o.yes) throw new Error('restore replaces every record in the database; run again with --yes to confirm');
      const config = loadConfig(process.env);
      await restoreStore(openStore(config), file);
      if (restoreEvidence(config.dataDir, file).restored) console.log(`Evidence files restored from ${evidenceBackupPath(file)}.`);
      const store = openStore(config);
      try {
        const check = await verifyAuditChain(store.db);
        console.log(
          `Restored from ${file}. Audit chain: ${check.ok ? `intact (${check.entries} entries)` : `BROKEN at ${check.problem?.seq}: ${check.problem?.reason}`}.`,
        );
      } finally {
        await store.close();
      }
    });
}
