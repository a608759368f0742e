import type { Command } from 'commander';
import { importUt1, type ListImportReport } from '../../filter/lists/import.js';
import { listStatus } from '../../filter/lists/status.js';
import { withContext } from '../context.js';

/** Exit code of an import that was refused or failed (the lists in force are kept). */
const EXIT_IMPORT_REFUSED = 3;

function printReport(report: ListImportReport) {
  console.log(`Import ${report.id} from ${report.origin}: ${report.status}${report.error ? ` — ${report.error}` : ''}`);
  for (const c of report.categories) {
    const skipped = c.skipped.invalid + c.skipped.comments;
    console.log(
      `  ${c.category.padEnd(18)} ${String(c.after.domains).padStart(8)} domains ${String(c.after.urls).padStart(7)} URLs` +
        `  +${c.added} −${c.removed}${skipped ? `  (${c.skipped.invalid} invalid, ${c.skipped.comments} comment lines skipped)` : ''}`,
    );
  }
  const t = report.totals;
  console.log(`  total: ${t.before} → ${t.after} entries, +${t.added} −${t.removed}`);
  if (report.unknownFolders.length) console.log(`  UT1 folders with no mapping (ignored): ${report.unknownFolders.join(', ')}`);
}

export function registerListCommands(program: Command): void {
  const lists = program.command('lists').description('Category lists: import UT1 lists and see what is in force');
  lists
    .command('import')
    .description('Import UT1 lists now (all categories in one step, or nothing if the source looks wrong)')
    .option('--source <dir-or-url>', 'a UT1 folder or an http(s) URL of a .tar.gz (default: the configured source)')
    .option('--reason <text>', 'why, for the change-control log', 'manual list update')
    .option('--json', 'print the full report as JSON')
    .action(async (o: { source?: string; reason: string; json?: boolean }) => {
      await withContext(async (ctx) => {
        const report = await importUt1(ctx, {
          source: o.source ?? ctx.config.filter.ut1Source,
          actor: { accountId: null, name: 'tutela lists import (command line)' },
          reason: o.reason,
        });
        if (o.json) console.log(JSON.stringify(report, null, 2));
        else printReport(report);
        if (report.status === 'rejected' || report.status === 'failed') process.exitCode = EXIT_IMPORT_REFUSED;
      });
    });
  lists
    .command('status')
    .description('Entries per category, their sources and last update, and the last import')
    .option('--json', 'print as JSON')
    .action(async (o: { json?: boolean }) => {
      await withContext(async (ctx) => {
        const status = await listStatus(ctx.db);
        if (o.json) {
          console.log(JSON.stringify(status, null, 2));
          return;
        }
        for (const c of status.categories) {
          const lock = c.locked ? ' (locked)' : '';
          console.log(
            `${c.category.padEnd(18)} ${String(c.domains).padStart(8)} domains ${String(c.urls).padStart(7)} URLs  ${c.updatedAt ?? 'never'}  ${c.sources.join(', ')}${lock}`,
          );
        }
        const last = status.lastImport;
        console.log(last ? `Last import: ${last.status} at ${last.finishedAt ?? last.startedAt} from ${last.origin}` : 'No import yet.');
      });
    });
}
