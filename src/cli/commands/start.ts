import type { Command } from 'commander';
import { loadConfig } from '../../config/config.js';
import { createDemoSchool } from '../../demo/demo-school.js';
import { buildApp } from '../../server/app.js';
import { openContext } from '../../server/runtime.js';
import { isInstalled, issueSetupToken } from '../../setup/service.js';
import { printDemoAccounts } from './data.js';

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('Run Tutela: migrate the database, then serve the web application and API')
    .option('--demo', 'on an empty database, create the demo school first (Riverside Academy)')
    .option('--role <role>', 'which part to run: all (default) or web', 'all')
    .addHelpText(
      'after',
      '\nOn an empty database without --demo, Tutela prints a one-time setup token; open the web\n' +
        'address, enter it, and create the school and its first administrator.',
    )
    .action(async (options: { demo?: boolean; role: string }) => {
      if (!['all', 'web'].includes(options.role)) throw new Error(`--role must be all or web, got ${options.role}`);
      const config = loadConfig(process.env);
      const ctx = await openContext(config);
      if (!(await isInstalled(ctx.db))) {
        if (options.demo) {
          console.log('Creating the demo school (Riverside Academy)…');
          const demo = await createDemoSchool(ctx, { password: config.demoPassword });
          printDemoAccounts(demo, Boolean(config.demoPassword));
        } else {
          const token = await issueSetupToken(ctx.db);
          console.log(`\nTutela is not set up yet. Open the web address below and enter this setup token: ${token}\n`);
        }
      }
      const app = await buildApp(ctx);
      const shutdown = async (signal: string) => {
        app.log.info({ signal }, 'shutting down');
        await app.close();
        await ctx.store.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown('SIGINT'));
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
      await app.listen({ host: config.web.host, port: config.web.port });
      const shown = config.web.host === '0.0.0.0' ? 'localhost' : config.web.host;
      console.log(`Tutela is running at http://${shown}:${config.web.port} (database: ${ctx.store.dialect})`);
    });
}
