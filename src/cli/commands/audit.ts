import type { Command } from 'commander';
import { verifyAuditChain } from '../../audit/service.js';
import { withContext } from '../context.js';

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('The tamper-evident audit log');
  audit
    .command('verify')
    .description('Check the hash chain: finds any edited, deleted or inserted entry')
    .action(async () => {
      await withContext(async (ctx) => {
        const result = await verifyAuditChain(ctx.db);
        if (result.ok) {
          console.log(`Audit log intact: ${result.entries} entries.`);
        } else {
          console.error(`Audit log BROKEN at entry ${result.problem!.seq}: ${result.problem!.reason}.`);
          process.exitCode = 3;
        }
      });
    });
}
