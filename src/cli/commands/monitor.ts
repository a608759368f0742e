import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { AppError } from '../../errors/errors.js';
import { libraryFromCsv } from '../../monitor/keywords/csv.js';
import { DEFAULT_LIBRARY } from '../../monitor/keywords/default-library.js';
import type { KeywordEntry } from '../../monitor/keywords/types.js';
import { compileLibrary, scanText } from '../../monitor/matcher/index.js';

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
