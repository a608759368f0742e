import type { Command } from 'commander';
import { evidenceKey } from '../../safeguarding/evidence/key.js';
import { verifyEvidence } from '../../safeguarding/evidence/verify.js';
import { resolveSchool, withContext } from '../context.js';

/** Exit code when any evidence file fails its checks. */
const EXIT_VERIFY_FAILED = 3;

/** `tutela evidence …`: check evidence files and their chain of custody. */
export function registerEvidenceCommands(program: Command): void {
  const evidence = program.command('evidence').description('Safeguarding evidence files, encrypted at rest, and their chain of custody');
  evidence
    .command('verify')
    .description(
      'Check every evidence file: present, sealed with this key, decrypts, SHA-256 as on upload, chain of custody whole. ' +
        'Files that pass get a "verify" custody event. Exits 3 if any file fails.',
    )
    .option('--incident <reference>', 'only the files of this incident (e.g. INC-2026-0042)')
    .option('--school <id-or-urn>', 'only the files of this school')
    .option('--json', 'print the full report as JSON')
    .action(async (o: { incident?: string; school?: string; json?: boolean }) => {
      await withContext(async (ctx) => {
        const schoolId = o.school ? await resolveSchool(ctx, o.school) : undefined;
        if (o.incident) {
          const found = await ctx.db.selectFrom('incidents').select('id').where('reference', '=', o.incident).executeTakeFirst();
          if (!found) throw new Error(`no incident with reference ${o.incident}`);
        }
        const store = { db: ctx.db, dataDir: ctx.config.dataDir, key: evidenceKey(ctx.config.evidence.key, ctx.secretKey) };
        const report = await verifyEvidence(store, { incidentReference: o.incident, schoolId }, ctx.clock());
        if (o.json) {
          console.log(JSON.stringify(report, null, 2));
        } else {
          for (const f of report.files) {
            const where = `${f.incidentReference}  ${f.filename}  ${f.sha256.slice(0, 16)}…`;
            console.log(f.ok ? `OK      ${where}` : `FAILED  ${where}: ${f.problems.map((p) => p.message).join(' ')}`);
          }
          console.log(
            report.checked === 0
              ? 'No evidence files to check.'
              : `${report.checked} evidence ${report.checked === 1 ? 'file' : 'files'} checked: ${report.passed} passed, ${report.failed} failed.`,
          );
        }
        if (report.failed > 0) process.exitCode = EXIT_VERIFY_FAILED;
      });
    });
}
