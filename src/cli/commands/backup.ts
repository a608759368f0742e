import type { Command } from 'commander';
import { loadConfig } from '../../config/config.js';
import { backupStore, restoreStore } from '../../db/backup.js';
import { openStore } from '../../db/database.js';
import { verifyAuditChain } from '../../audit/service.js';

export function registerBackupCommands(program: Command): void {
  program
    .command('backup')
    .description('Take a consistent online backup (SQLite backup API, or pg_dump for PostgreSQL)')
    .argument('<file>', 'where to write the backup; must not exist')
    .action(async (file: string) => {
      const store = openStore(loadConfig(process.env));
      try {
        const { bytes } = await backupStore(store, file);
        console.log(`Backup written to ${file} (${(bytes / 1024).toFixed(0)} KiB).`);
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
