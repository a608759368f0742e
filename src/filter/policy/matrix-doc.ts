import { CATEGORIES } from '../categories.js';
import type { MatrixCell } from '../model.js';
import { DEFAULT_PROFILES } from './defaults.js';

const SHORT: Record<MatrixCell['level'], string> = {
  acceptable: 'acceptable',
  at_certain_times: 'at certain times',
  nominated_users: 'nominated users',
  unacceptable: 'unacceptable',
  illegal: 'illegal',
};

const cellText = (cell: MatrixCell): string => `${SHORT[cell.level]}${cell.warn ? ' (warn)' : ''}`;

/**
 * The default matrix as a Markdown table, for docs/filtering/policy.md; a test keeps the
 * document equal to the code.
 */
export function defaultMatrixMarkdown(): string {
  const header = `| category | ${DEFAULT_PROFILES.map((p) => p.name).join(' | ')} |`;
  const rule = `|---|${DEFAULT_PROFILES.map(() => '---').join('|')}|`;
  const rows = CATEGORIES.map((c) => `| ${c.label} (\`${c.id}\`) | ${DEFAULT_PROFILES.map((p) => cellText(p.matrix[c.id])).join(' | ')} |`);
  return [header, rule, ...rows].join('\n');
}
