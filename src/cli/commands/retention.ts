import type { Command } from 'commander';
import { retentionStatus, type RetentionRunner, runRetention } from '../../safeguarding/records/job.js';
import { RECORD_TYPE_LABELS, RECORD_TYPES } from '../../safeguarding/records/rules.js';
import { resolveSchool, withContext } from '../context.js';

/** Runs from the command line have no signed-in user; the run record says where they came from. */
const COMMAND_LINE: RetentionRunner = { username: 'command-line', accountId: null, personId: null };

/** `tutela retention …`: run the incident retention job and see what it archived. */
export function registerRetentionCommands(program: Command): void {
  const retention = program
    .command('retention')
    .description('Archive safeguarding incidents past their retention period (never deletes anything)');

  retention
    .command('run')
    .description('Archive every closed incident past its retention date, in every school')
    .option('--dry-run', 'only list what would be archived')
    .option('--json', 'print the result as JSON')
    .action(async (options: { dryRun?: boolean; json?: boolean }) => {
      await withContext(async (ctx) => {
        const schools = new Map((await ctx.db.selectFrom('schools').select(['id', 'name']).execute()).map((s) => [s.id, s.name]));
        const result = await runRetention(ctx, { by: COMMAND_LINE, dryRun: Boolean(options.dryRun) });
        if (options.json) {
          console.log(JSON.stringify(result, null, 2));
          return;
        }
        const verb = result.dryRun ? 'would archive' : 'archived';
        for (const s of result.schools) {
          console.log(`${schools.get(s.schoolId) ?? s.schoolId}: ${verb} ${s.archived.length}`);
          for (const i of s.archived) console.log(`  ${i.reference}  ${i.reason}`);
        }
        if (result.dryRun) console.log('Dry run: nothing was changed.');
      });
    });

  retention
    .command('status')
    .description('Show the periods in force, what is due now, and the last runs')
    .option('--school <school>', 'school id or URN (needed when there are several)')
    .option('--json', 'print the status as JSON')
    .action(async (options: { school?: string; json?: boolean }) => {
      await withContext(async (ctx) => {
        const schoolId = await resolveSchool(ctx, options.school);
        const status = await retentionStatus(ctx, schoolId);
        if (options.json) {
          console.log(JSON.stringify(status, null, 2));
          return;
        }
        const r = status.rules;
        console.log('Retention periods in force:');
        console.log(`  ${RECORD_TYPE_LABELS.student_safeguarding}: ${r.studentYearsAfterBirth} years after date of birth`);
        console.log(`  ${RECORD_TYPE_LABELS.student_misuse}: ${r.misuseYearsAfterClose} years after closing`);
        console.log(`  ${RECORD_TYPE_LABELS.staff}: ${r.staffYearsAfterClose} years after closing`);
        console.log(`  the job runs ${r.jobHours > 0 ? `every ${r.jobHours} hours` : 'only when asked (schedule off)'}`);
        console.log(`Due for archiving now: ${status.due.length}`);
        for (const d of status.due) console.log(`  ${d.reference}  ${d.reason}`);
        console.log(`Archived so far: ${status.archivedCount}`);
        console.log('Last runs:');
        if (status.runs.length === 0) console.log('  none');
        for (const run of status.runs.slice(0, 10)) {
          const counts = RECORD_TYPES.map((t) => `${run.counts[t]} ${t}`).join(', ');
          console.log(`  ${run.ranAt}  by ${run.ranBy}: ${run.archived} archived (${counts})`);
        }
      });
    });
}
