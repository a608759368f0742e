import type { Command } from 'commander';
import { smtpMailer } from '../../notify/mailer.js';
import { sendPolicyReminders } from '../../policy/reminders.js';
import { withContext } from '../context.js';

/** `tutela policy …`: the e-safety policy's review reminders. */
export function registerPolicyCommands(program: Command): void {
  const policy = program.command('policy').description('The e-safety policy and its review by governors');

  policy
    .command('remind')
    .description('Remind heads and governors of every school whose policy review is due within 30 days or overdue (each reminder once)')
    .option('--json', 'print the reminders sent as JSON')
    .action(async (options: { json?: boolean }) => {
      await withContext(async (ctx) => {
        const mailer = smtpMailer(ctx.config.smtp);
        try {
          const sent = await sendPolicyReminders(ctx, ctx.clock(), {
            mailer,
            onError: (err) => console.error(`a reminder failed: ${err instanceof Error ? err.message : String(err)}`),
          });
          if (options.json) {
            console.log(JSON.stringify(sent, null, 2));
            return;
          }
          const names = new Map((await ctx.db.selectFrom('schools').select(['id', 'name']).execute()).map((s) => [s.id, s.name]));
          if (sent.length === 0) console.log('No policy review reminders were due.');
          for (const r of sent) {
            const what = r.kind === 'overdue' ? 'overdue since' : 'due by';
            console.log(
              `${names.get(r.schoolId) ?? r.schoolId}: review ${what} ${r.nextReviewOn}; ${r.notified} notified, ${r.emailed} e-mailed`,
            );
          }
        } finally {
          mailer?.close();
        }
      });
    });
}
