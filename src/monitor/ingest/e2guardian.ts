/**
 * e2guardian's access log (inherited from DansGuardian), in the two layouts schools use:
 * `logfileformat = 1`, space-separated, and `logfileformat = 4`, tab-separated. Both hold
 *   date time user client URL what method size weight category group code mimetype ...
 * where "what" is the verdict (`*DENIED* Banned site: example.com`, empty when allowed).
 * Format 3 is Squid's own layout: read it with parseSquidNative.
 */
import { clip, isAddress, MAX_LOG_LINE_LENGTH, type ProxyLogEntry, username } from './squid.js';

export interface E2guardianEntry extends ProxyLogEntry {
  blocked: boolean;
  /** Why e2guardian acted, as it logged it (`Banned site: example.com`); null when it just passed the request. */
  reason: string | null;
}

export type E2guardianResult = { ok: true; entry: E2guardianEntry } | { ok: false; reason: string };

export interface E2guardianOptions {
  /**
   * e2guardian writes local time without a zone; minutes east of UTC at that time
   * (60 for British Summer Time). Defaults to 0.
   */
  utcOffsetMinutes?: number;
}

const DATE = /^(\d{4})\.(\d{1,2})\.(\d{1,2})$/;
const TIME = /^(\d{1,2}):(\d{2}):(\d{2})$/;
const METHOD = /^[A-Z][A-Z-]{2,15}$/;
const INTEGER = /^-?\d+$/;
/** Verdict flags that mean the user did not get the page. */
const BLOCKING_FLAGS = new Set(['DENIED', 'INFECTED']);

export function parseE2guardian(line: string, options: E2guardianOptions = {}): E2guardianResult {
  if (line.length > MAX_LOG_LINE_LENGTH) return fail(`line of ${line.length} characters is over the ${MAX_LOG_LINE_LENGTH} limit`);
  const trimmed = line.replace(/[\r\n]+$/, '');
  const fields = trimmed.includes('\t') ? splitTabbed(trimmed) : splitSpaced(trimmed);
  if ('reason' in fields) return fail(fields.reason);
  const { date, time, user, client, url, what, method, size, code } = fields;
  const at = parseWhen(date, time, options.utcOffsetMinutes ?? 0);
  if (!at) return fail(`invalid date "${clip(`${date} ${time}`)}": expected YYYY.M.D H:MM:SS`);
  if (!isAddress(client)) return fail(`invalid client address "${clip(client)}"`);
  if (!url || url === '-') return fail('missing URL');
  if (!/^\d+$/.test(size)) return fail(`invalid size "${clip(size)}"`);
  if (!/^\d{3}$/.test(code)) return fail(`invalid HTTP status "${clip(code)}"`);
  const verdict = parseVerdict(what);
  return {
    ok: true,
    entry: {
      at,
      clientAddress: client,
      username: username(user),
      method,
      url,
      status: Number(code),
      bytes: Number(size),
      action: verdict.flags[0] ?? 'PASS',
      blocked: verdict.flags.some((flag) => BLOCKING_FLAGS.has(flag)),
      reason: verdict.reason,
    },
  };
}

interface Fields {
  date: string;
  time: string;
  user: string;
  client: string;
  url: string;
  what: string;
  method: string;
  size: string;
  code: string;
}

function splitTabbed(line: string): Fields | { reason: string } {
  const f = line.split('\t');
  if (f.length < 11) return { reason: `expected at least 11 tab-separated fields, found ${f.length}` };
  const [date = '', time = ''] = f[0]!.split(' ');
  if (!METHOD.test(f[5]!)) return { reason: `invalid method "${clip(f[5]!)}"` };
  return { date, time, user: f[1]!, client: f[2]!, url: f[3]!, what: f[4]!, method: f[5]!, size: f[6]!, code: f[10]! };
}

/**
 * The verdict and the category may both contain spaces, so the fields after them are found by
 * shape: the method followed by two integers (size, weight), then a group number followed by a
 * three-digit status.
 */
function splitSpaced(line: string): Fields | { reason: string } {
  const f = line.split(' ');
  if (f.length < 12) return { reason: `expected at least 12 space-separated fields, found ${f.length}` };
  let k = 5;
  while (k + 2 < f.length && !(METHOD.test(f[k]!) && /^\d+$/.test(f[k + 1]!) && INTEGER.test(f[k + 2]!))) k++;
  if (k + 2 >= f.length) return { reason: 'no method, size and weight found after the verdict' };
  let m = k + 3;
  while (m + 1 < f.length && !(/^\d+$/.test(f[m]!) && /^\d{3}$/.test(f[m + 1]!))) m++;
  if (m + 1 >= f.length) return { reason: 'no filter group and HTTP status found after the category' };
  return {
    date: f[0]!,
    time: f[1]!,
    user: f[2]!,
    client: f[3]!,
    url: f[4]!,
    what: f.slice(5, k).join(' '),
    method: f[k]!,
    size: f[k + 1]!,
    code: f[m + 1]!,
  };
}

function parseWhen(date: string, time: string, offsetMinutes: number): Date | null {
  const d = DATE.exec(date);
  const t = TIME.exec(time);
  if (!d || !t) return null;
  const [year, month, day] = d.slice(1).map(Number) as [number, number, number];
  const [hour, minute, second] = t.slice(1).map(Number) as [number, number, number];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(utc);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return null;
  return new Date(utc - offsetMinutes * 60_000);
}

/** `*DENIED* Banned site: example.com` → flags [DENIED], reason "Banned site: example.com". */
function parseVerdict(what: string): { flags: string[]; reason: string | null } {
  const flags: string[] = [];
  let rest = what.trim();
  for (let m = /^\*([A-Z]+)\*\s*/.exec(rest); m; m = /^\*([A-Z]+)\*\s*/.exec(rest)) {
    flags.push(m[1]!);
    rest = rest.slice(m[0].length);
  }
  return { flags, reason: rest.length > 0 ? rest : null };
}

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
