#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/config.js';
import { AppError } from '../errors/errors.js';
import { registerAuditCommands } from './commands/audit.js';
import { registerBackupCommands } from './commands/backup.js';
import { registerCheckCommand } from './commands/check.js';
import { registerDataCommands } from './commands/data.js';
import { registerEvidenceCommands } from './commands/evidence.js';
import { registerListCommands } from './commands/lists.js';
import { registerMonitorCommands } from './commands/monitor.js';
import { registerPolicyCommands } from './commands/policy.js';
import { registerRetentionCommands } from './commands/retention.js';
import { registerStartCommand } from './commands/start.js';
import { registerUserCommands } from './commands/user.js';

const program = new Command()
  .name('tutela')
  .description(
    'Tutela: online safety for schools and trusts. Settings come from tutela.json in the data directory and from TUTELA_* variables (see docs/CONFIGURATION.md).',
  )
  .version('0.1.0')
  .showHelpAfterError();

registerStartCommand(program);
registerDataCommands(program);
registerUserCommands(program);
registerBackupCommands(program);
registerAuditCommands(program);
registerCheckCommand(program);
registerListCommands(program);
registerEvidenceCommands(program);
registerRetentionCommands(program);
registerMonitorCommands(program);
registerPolicyCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  if (error instanceof ConfigError || error instanceof AppError) {
    console.error(`tutela: ${error.message}`);
    if (error instanceof AppError && error.details) console.error(JSON.stringify(error.details, null, 2));
    process.exit(2);
  }
  console.error(`tutela: ${(error as Error).message}`);
  process.exit(1);
}
