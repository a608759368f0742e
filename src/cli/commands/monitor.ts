import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { AppError } from '../../errors/errors.js';
import { libraryFromCsv } from '../../monitor/keywords/csv.js';
import { DEFAULT_LIBRARY } from '../../monitor/keywords/default-library.js';
import type { KeywordEntry } from '../../monitor/keywords/types.js';
import { compileLibrary, scanText } from '../../monitor/matcher/index.js';
import { reportTitle } from '../../monitor/reports/render.js';
import { runReport } from '../../monitor/reports/store.js';
import { runPurge } from '../../monitor/retention/purge.js';
import { smtpMailer } from '../../notify/mailer.js';
import { resolveSchool, withContext } from '../context.js';

/** Runs from the command line have no signed-in user; the records say where they came from. */
const COMMAND_LINE = { username: 'command-line', accountId: null };

/** `tutela monitor …`: the keyword monitor from the command line. */
export function registerMonitorCommands(program: Command): void {
  const monitor = program.command('monitor').description('Keyword monitoring of messages and searches');

  monitor
    .command('scan')
    .description(
      'Scan standard input, one message a line, with the keyword library. Prints each alert, or with --json one object a line: {"line", "alerts": [{"category", "severity", "term"}]}',
    )
    .option('--json', 'write one JSON object per input line, with an empty list where nothing matched')
    .option('--keywords <file.csv>', 'use this keyword library (CSV, as exported) instead of the default one')
    .action(async (options: { json?: boolean; keywords?: string }) => {
      // The whole library is checked before any line is read: a broken row scans nothing.
      const library = compileLibrary(options.keywords ? readLibrary(options.keywords) : DEFAULT_LIBRARY);
      await scanLines(library, Boolean(options.json));
    });

  monitor
    .command('report')
    .description(
      "Make the daily internet-usage summary (--daily, the default) or the weekly report (--weekly) now and send it to the school's DSLs: by e-mail without pupils' names, and in the app",
    )
    .option('--daily', 'the daily summary of one school day (Europe/London midnight to midnight)')
    .option('--weekly', 'the weekly report, Monday to Sunday')
    .option('--date <YYYY-MM-DD>', 'the day to report on, or any day of the week to report on (default: the last whole day or week)')
    .option('--school <school>', 'school id or URN (needed when there are several)')
    .option('--no-send', 'store the report without e-mailing or notifying anyone (it is not sent later either)')
    .option('--json', 'print the stored report, figures included, as JSON')
    .addHelpText('after', '\nA report is made once per school and period: running it again shows the stored one and sends nothing.')
    .action(async (options: { daily?: boolean; weekly?: boolean; date?: string; school?: string; send: boolean; json?: boolean }) => {
      if (options.daily && options.weekly) throw new AppError('validation_failed', 'choose one of --daily and --weekly');
      const kind = options.weekly ? 'weekly' : 'daily';
      await withContext(async (ctx) => {
        const schoolId = await resolveSchool(ctx, options.school);
        const mailer = smtpMailer(ctx.config.smtp);
        try {
          const log = { error: (o: object, m?: string) => console.error(`tutela: ${m ?? 'error'}`, o) };
          const { report, created } = await runReport(ctx, mailer, {
            schoolId,
            kind,
            date: options.date,
            send: options.send,
            by: COMMAND_LINE,
            log,
          });
          if (options.json) {
            console.log(JSON.stringify({ ...report, created }, null, 2));
            return;
          }
          const t = report.data.totals;
          console.log(`${reportTitle(report.data)} (report ${report.id})`);
          console.log(`  ${t.requests} requests seen, ${t.blocked} blocked, ${t.alerts} new alerts`);
          if (!created) console.log(`  already made at ${report.createdAt}: not sent again`);
          else if (!options.send) console.log('  stored; not sent (--no-send)');
          else
            console.log(`  e-mailed to ${report.emailedTo} DSLs${mailer ? '' : ' (no SMTP server configured: in-app notification only)'}`);
        } finally {
          mailer?.close();
        }
      });
    });

  monitor
    .command('purge')
    .description(
      "Delete monitoring activity and resolved alerts past each school's retention periods now (activity: 90 days, closed and false-positive alerts: 365 days after resolving, unless the school changed them); open and escalated alerts are never deleted",
    )
    .option('--dry-run', 'only count what would be deleted')
    .option('--school <school>', 'only this school (id or URN); default every school')
    .option('--json', 'print the result as JSON')
    .action(async (options: { dryRun?: boolean; school?: string; json?: boolean }) => {
      await withContext(async (ctx) => {
        const schoolId = options.school ? await resolveSchool(ctx, options.school) : undefined;
        const schools = new Map((await ctx.db.selectFrom('schools').select(['id', 'name']).execute()).map((s) => [s.id, s.name]));
        const results = await runPurge(ctx, { schoolId, by: COMMAND_LINE, dryRun: Boolean(options.dryRun) });
        if (options.json) {
          console.log(JSON.stringify(results, null, 2));
          return;
        }
        const verb = options.dryRun ? 'would delete' : 'deleted';
        for (const r of results) {
          console.log(
            `${schools.get(r.schoolId) ?? r.schoolId}: ${verb} ${r.activityDeleted} filter activity rows and ${r.eventsDeleted} monitoring events before ${r.activityBefore}, ${r.alertsDeleted} resolved alerts (${r.notesDeleted} notes) resolved before ${r.alertsBefore}`,
          );
        }
        if (options.dryRun) console.log('Dry run: nothing was deleted.');
      });
    });
}

function readLibrary(file: string): KeywordEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new AppError('not_found', `cannot read the library ${file}: ${(error as Error).message}`);
  }
  return libraryFromCsv(text).entries;
}

/**
 * Line by line, so a day's log of messages never sits in memory at once; waits for standard
 * output to drain so a slow reader does not make the output pile up either. Bytes that are
 * not UTF-8 arrive as U+FFFD: a garbled line is still scanned.
 */
async function scanLines(library: ReturnType<typeof compileLibrary>, json: boolean): Promise<void> {
  // `tutela monitor scan | head` closes the pipe early: that is the reader's choice, not a failure.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  let number = 0;
  for await (const line of lines) {
    number += 1;
    const matches = scanText(library, line);
    let out = '';
    if (json) {
      const alerts = matches.map((m) => ({ category: m.category, severity: m.severity, term: m.term }));
      out = `${JSON.stringify({ line: number, alerts })}\n`;
    } else {
      for (const m of matches) {
        out += `line ${number}: ${m.severity} ${m.category} "${m.term}" (wrote "${line.slice(m.start, m.end)}" at ${m.start})\n`;
      }
    }
    if (out !== '' && !process.stdout.write(out)) await once(process.stdout, 'drain');
  }
}
