import { CsvError, parse } from 'csv-parse/sync';
import { AppError } from '../../errors/errors.js';

export interface CsvRow {
  /** 1-based line in the file where the record starts, as a text editor numbers it. */
  line: number;
  values: string[];
}

export interface ParsedCsv {
  headers: string[];
  rows: CsvRow[];
  delimiter: string;
}

type RecordWithInfo = { record: string[]; raw: string; info: { lines: number } };

/**
 * Parses CSV text into a header row and data rows that remember their source line, so every
 * problem can be reported against the line the school sees. Malformed CSV throws `invalid_csv`
 * naming the line.
 *
 * @example
 *   parseCsv('UPN,Forename\nA1,"Zoë"\n').rows[0]; // { line: 2, values: ['A1', 'Zoë'] }
 */
export function parseCsv(input: string): ParsedCsv {
  // csv-parse miscounts lines on CRLF inside quoted fields; with LF only its counts are exact.
  const text = input.replace(/\r\n?/g, '\n');
  if (text.trim() === '') throw new AppError('invalid_csv', 'The file is empty.', { line: 1 });
  const delimiter = guessDelimiter(text);
  let records: RecordWithInfo[];
  try {
    records = parse(text, {
      delimiter,
      info: true,
      raw: true,
      trim: true,
      skip_empty_lines: true,
      // Spreadsheets pad exports with rows of bare commas; they are not records.
      skip_records_with_empty_values: true,
      relax_column_count: false,
    }) as unknown as RecordWithInfo[];
  } catch (error) {
    if (error instanceof CsvError) throw describeCsvError(error, text, delimiter);
    throw error;
  }
  const [header, ...data] = records.map((r) => ({ line: startLine(r.raw, r.info.lines), values: r.record }));
  if (!header) throw new AppError('invalid_csv', 'The file has no header row.', { line: 1 });
  return { headers: header.values, rows: data, delimiter };
}

/** The raw text ends at `endLine`; the record starts as many lines earlier as it holds newlines. */
function startLine(raw: string, endLine: number): number {
  const body = raw.replace(/^\n+/, '').replace(/\n$/, '');
  let newlines = 0;
  for (const ch of body) if (ch === '\n') newlines += 1;
  return endLine - newlines;
}

/** Excel saves "Unicode Text" tab-separated and some locales use ';': the header row tells. */
function guessDelimiter(text: string): string {
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n'));
  const count = (d: string) => firstLine.split(d).length - 1;
  const [best] = [',', '\t', ';'].map((d) => ({ d, n: count(d) })).sort((a, b) => b.n - a.n);
  return best && best.n > 0 ? best.d : ',';
}

function describeCsvError(error: CsvError, text: string, delimiter: string): AppError {
  const reported = typeof error.lines === 'number' ? error.lines : 1;
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED': {
      const line = unclosedQuoteLine(text, delimiter) ?? reported;
      return new AppError('invalid_csv', `Line ${line}: a quoted field starts here but its closing quote is missing.`, { line });
    }
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH': {
      const m = /expect (\d+), got (\d+)/.exec(error.message);
      const what = m
        ? `expected ${m[1]} columns, as in the header row, but found ${m[2]}`
        : 'the number of columns differs from the header row';
      return new AppError('invalid_csv', `Line ${reported}: ${what}.`, { line: reported });
    }
    case 'INVALID_OPENING_QUOTE':
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return new AppError(
        'invalid_csv',
        `Line ${reported}: a double quote in the middle of a field. Quote the whole field and double any quotes inside it.`,
        { line: reported },
      );
    default:
      return new AppError('invalid_csv', `Line ${reported}: ${error.message}`, { line: reported });
  }
}

/**
 * csv-parse only notices an unclosed quote at the end of the file; the useful line is where
 * the quote opened, so walk the text once more tracking quote state.
 */
function unclosedQuoteLine(text: string, delimiter: string): number | null {
  let line = 1;
  let inQuotes = false;
  let openedAt = 1;
  let atFieldStart = true;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') i += 1;
        else {
          inQuotes = false;
          atFieldStart = false;
        }
      } else if (ch === '\n') line += 1;
      continue;
    }
    if (ch === '"' && atFieldStart) {
      inQuotes = true;
      openedAt = line;
    } else if (ch === '\n') {
      line += 1;
      atFieldStart = true;
    } else if (ch === delimiter) {
      atFieldStart = true;
    } else if (ch !== ' ') {
      atFieldStart = false;
    }
  }
  return inQuotes ? openedAt : null;
}
