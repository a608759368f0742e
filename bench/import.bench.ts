// MIS import throughput: a full students file (header + N rows) into a fresh store, first
// import and idempotent re-import, on SQLite and on PostgreSQL in the same run.
// Run: npm run bench -- import   (PostgreSQL from TUTELA_TEST_PG_URL, default the local server)
import { performance } from 'node:perf_hooks';
import { runImport } from '../src/directory/import/service.js';
import { seedSchool } from '../src/testing/fixtures.js';
import { createTestStore, testContext } from '../src/testing/store.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 5000);

function studentsCsv(n: number): Buffer {
  const lines = ['UPN,Forename,Surname,Year,DOB,Reg Group'];
  for (let i = 0; i < n; i++) {
    const year = 7 + (i % 7);
    const born = 2026 - year - 5;
    lines.push(`B${String(100000000000 + i)},Given${i},Family${i % 997},${year},15/03/${born},${year}${'ABCDEFG'[i % 7]}`);
  }
  return Buffer.from(lines.join('\r\n') + '\r\n');
}

async function measure(dialect: 'sqlite' | 'postgres') {
  const t = await createTestStore(dialect);
  try {
    const ctx = testContext(t);
    const { schoolId } = await seedSchool(ctx);
    const content = studentsCsv(ROWS);
    const input = { schoolId, kind: 'students' as const, fileName: 'bench.csv', content, dryRun: false, actor: null };
    let start = performance.now();
    const first = await runImport(ctx, input);
    const firstMs = performance.now() - start;
    start = performance.now();
    const again = await runImport(ctx, input);
    const againMs = performance.now() - start;
    if (first.created !== ROWS || again.unchanged !== ROWS)
      throw new Error(`unexpected report: ${JSON.stringify({ first: first.created, again: again.unchanged })}`);
    return { dialect, firstRowsPerSec: Math.round(ROWS / (firstMs / 1000)), reimportRowsPerSec: Math.round(ROWS / (againMs / 1000)) };
  } finally {
    await t.cleanup();
  }
}

const sqlite = await measure('sqlite');
const postgres = await measure('postgres');
console.log(`import of ${ROWS} students`);
for (const r of [sqlite, postgres]) {
  console.log(
    `  ${r.dialect.padEnd(8)} first import ${String(r.firstRowsPerSec).padStart(7)} rows/s   re-import ${String(r.reimportRowsPerSec).padStart(7)} rows/s`,
  );
}
console.log(`  PostgreSQL / SQLite, first import: ${(postgres.firstRowsPerSec / sqlite.firstRowsPerSec).toFixed(2)}×`);
