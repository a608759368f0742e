import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/config.js';
import { migrateToLatest, openStore } from '../../db/database.js';
import { createDemoSchool, type DemoResult } from '../../demo/demo-school.js';
import { runImport } from '../../directory/import/service.js';
import { resolveSchool, withContext } from '../context.js';

export function printDemoAccounts(demo: DemoResult, passwordFromEnvironment: boolean): void {
  console.log(`\nDemo school "${demo.schoolName}" is ready: ${demo.counts.students} students, ${demo.counts.staff} staff.`);
  console.log('Sign in with any of these accounts:');
  for (const a of demo.accounts) console.log(`  ${a.username.padEnd(16)} ${a.description}`);
  if (passwordFromEnvironment) console.log('Password: the value of TUTELA_DEMO_PASSWORD.\n');
  else console.log(`Password for all of them (shown only this once): ${demo.password}\n`);
}

export function registerDataCommands(program: Command): void {
  program
    .command('migrate')
    .description('Apply any pending database migrations and exit')
    .action(async () => {
      const config = loadConfig(process.env);
      const store = openStore(config);
      try {
        const applied = await migrateToLatest(store);
        console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
      } finally {
        await store.close();
      }
    });

  program
    .command('demo')
    .description('Create the fictional demo school (about 1,200 students, 120 staff) in an empty database')
    .option('--password <password>', 'password for the demo accounts (default: TUTELA_DEMO_PASSWORD, else generated)')
    .option('--seed <n>', 'random seed, for a different but repeatable school', (v) => Number.parseInt(v, 10))
    .action(async (options: { password?: string; seed?: number }) => {
      await withContext(async (ctx) => {
        const password = options.password ?? ctx.config.demoPassword;
        const demo = await createDemoSchool(ctx, { password, seed: options.seed });
        printDemoAccounts(demo, Boolean(password && !options.password));
      });
    });

  program
    .command('import')
    .description('Import an MIS CSV export: students, staff, parents (parent links) or classes')
    .argument('<kind>', 'students | staff | parents | classes')
    .argument('<file>', 'the CSV file (UTF-8, UTF-8 with BOM, UTF-16 or Windows-1252)')
    .option('--dry-run', 'report what would change and change nothing')
    .option('--map <field=header...>', 'map a Tutela field to a column header, e.g. --map misId="Adno"')
    .option('--school <id-or-urn>', 'the school, when there are several')
    .option('--keep-leavers', 'do not mark people missing from a full export as left')
    .action(async (kind: string, file: string, options: { dryRun?: boolean; map?: string[]; school?: string; keepLeavers?: boolean }) => {
      const mapping: Record<string, string> = {};
      for (const pair of options.map ?? []) {
        const eq = pair.indexOf('=');
        if (eq < 1) throw new Error(`--map takes field=header, got "${pair}"`);
        mapping[pair.slice(0, eq)] = pair.slice(eq + 1);
      }
      await withContext(async (ctx) => {
        const schoolId = await resolveSchool(ctx, options.school);
        const report = await runImport(ctx, {
          schoolId,
          kind: kind as never,
          fileName: path.basename(file),
          content: readFileSync(file),
          mapping: Object.keys(mapping).length ? mapping : undefined,
          dryRun: Boolean(options.dryRun),
          actor: null,
          markLeavers: !options.keepLeavers,
        });
        console.log(JSON.stringify(report, null, 2));
        if (report.status === 'rejected') process.exitCode = 2;
      });
    });
}
