/**
 * Syslog messages as firewalls, proxies and filters send them to us: RFC 5424, and the older
 * BSD form (RFC 3164) that most appliances still emit. Parsing is pure so that the UDP and TCP
 * listeners wired in later only move bytes; every rejection says why, for the operator's log.
 */

/** RFC 5425 asks receivers to take at least 2048 bytes and allows 8192; proxies log long URLs. */
export const MAX_SYSLOG_MESSAGE_BYTES = 64 * 1024;

export interface SyslogMessage {
  facility: number;
  severity: number;
  timestamp: Date;
  hostname: string | null;
  appName: string | null;
  procId: string | null;
  msgId: string | null;
  /** SD-ID → parameter → value; empty when the message carries none (and always for RFC 3164). */
  structuredData: Record<string, Record<string, string>>;
  text: string;
}

export type SyslogResult = { ok: true; message: SyslogMessage } | { ok: false; reason: string };

const DAY_MS = 24 * 60 * 60 * 1000;
/** Devices with a flat clock battery log 1970; such a time would misplace the event in every report. */
const MAX_AGE_MS = 366 * DAY_MS;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/**
 * One syslog message: a UDP datagram or a frame from {@link SyslogFrameSplitter}.
 * BSD timestamps carry no zone and no year: they are read as UTC, in the year of `receivedAt`
 * (or the year before, when that would put them more than a day in the future).
 */
export function parseSyslog(line: string | Buffer, receivedAt: Date, maxBytes = MAX_SYSLOG_MESSAGE_BYTES): SyslogResult {
  const size = typeof line === 'string' ? Buffer.byteLength(line) : line.length;
  if (size > maxBytes) return fail(`message of ${size} bytes is over the ${maxBytes}-byte limit`);
  const decoded = typeof line === 'string' ? line : utf8.decode(line);
  // Senders written in C often end datagrams with a NUL or a newline; neither is content.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: trimming NUL is the point
  const text = decoded.replace(/[\r\n\u0000]+$/, '');
  const pri = /^<(\d{1,3})>/.exec(text);
  if (!pri) return fail(text.startsWith('<') ? 'invalid PRI: expected <0> to <191>' : 'missing PRI: a syslog message starts with <N>');
  const value = Number(pri[1]);
  if (value > 191 || (pri[1]!.length > 1 && pri[1]!.startsWith('0'))) return fail(`invalid PRI <${pri[1]}>: expected 0 to 191`);
  const head = { facility: value >> 3, severity: value & 7 };
  const rest = text.slice(pri[0].length);
  return /^1 /.test(rest) ? parse5424(head, rest.slice(2), receivedAt) : parse3164(head, rest, receivedAt);
}

type Head = Pick<SyslogMessage, 'facility' | 'severity'>;

function parse5424(head: Head, rest: string, receivedAt: Date): SyslogResult {
  const fields: string[] = [];
  let at = 0;
  for (let i = 0; i < 5; i++) {
    const space = rest.indexOf(' ', at);
    if (space < 0) return fail(`RFC 5424 message ends before its ${FIELD_NAMES[fields.length + 1]}`);
    fields.push(rest.slice(at, space));
    at = space + 1;
  }
  const [stamp, hostname, appName, procId, msgId] = fields as [string, string, string, string, string];
  const timestamp = parseRfc3339(stamp);
  if (typeof timestamp === 'string') return fail(timestamp);
  const tooFar = checkPlausible(timestamp, receivedAt);
  if (tooFar) return fail(tooFar);
  for (const [name, field, max] of [
    ['HOSTNAME', hostname, 255],
    ['APP-NAME', appName, 48],
    ['PROCID', procId, 128],
    ['MSGID', msgId, 32],
  ] as const) {
    if (field.length === 0 || field.length > max || !/^[!-~]+$/.test(field)) {
      return fail(`invalid ${name}: 1 to ${max} printable ASCII characters, or "-"`);
    }
  }
  const sd = parseStructuredData(rest, at);
  if ('reason' in sd) return fail(sd.reason);
  let body = rest.slice(sd.end);
  if (body.length > 0 && !body.startsWith(' ')) return fail('structured data must be followed by a space or the end of the message');
  body = body.slice(1).replace(/^\uFEFF/, '');
  return {
    ok: true,
    message: {
      ...head,
      timestamp,
      hostname: nil(hostname),
      appName: nil(appName),
      procId: nil(procId),
      msgId: nil(msgId),
      structuredData: sd.data,
      text: cleanText(body),
    },
  };
}

const FIELD_NAMES = ['TIMESTAMP', 'HOSTNAME', 'APP-NAME', 'PROCID', 'MSGID', 'STRUCTURED-DATA'];

function parseRfc3339(stamp: string): Date | string {
  if (stamp === '-') return 'missing TIMESTAMP: "-" gives no time for the event';
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|([+-])(\d{2}):(\d{2}))$/.exec(stamp);
  if (!m) return `invalid TIMESTAMP "${clip(stamp)}": expected RFC 3339, such as 2026-11-24T17:00:01.123+00:00`;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const millis = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  const local = calendarDate(year, month, day, hour, minute, second, millis);
  if (!local) return `invalid TIMESTAMP "${clip(stamp)}": no such date or time`;
  const offsetHours = m[8] === 'Z' ? 0 : Number(m[10]);
  const offsetMinutes = m[8] === 'Z' ? 0 : Number(m[11]);
  if (offsetHours > 23 || offsetMinutes > 59) return `invalid TIMESTAMP "${clip(stamp)}": no such offset`;
  const sign = m[9] === '-' ? -1 : 1;
  return new Date(local.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000);
}

/** The UTC instant, or null when a field is out of range (Date.UTC would roll 30 Feb into March). */
function calendarDate(year: number, month: number, day: number, hour: number, minute: number, second: number, millis = 0): Date | null {
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 60) return null;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), millis));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date;
}

function checkPlausible(timestamp: Date, receivedAt: Date): string | null {
  const ahead = timestamp.getTime() - receivedAt.getTime();
  if (ahead > DAY_MS) return `timestamp ${timestamp.toISOString()} is more than a day after the message arrived`;
  if (-ahead > MAX_AGE_MS) return `timestamp ${timestamp.toISOString()} is more than a year before the message arrived`;
  return null;
}

function parseStructuredData(
  rest: string,
  start: number,
): { data: Record<string, Record<string, string>>; end: number } | { reason: string } {
  const data: Record<string, Record<string, string>> = {};
  if (rest[start] === '-') return { data, end: start + 1 };
  if (rest[start] !== '[') return { reason: 'missing STRUCTURED-DATA: expected "-" or "["' };
  const name = /[^ =\]"]{1,32}/y;
  let i = start;
  while (rest[i] === '[') {
    name.lastIndex = i + 1;
    const id = name.exec(rest);
    if (!id) return { reason: 'invalid SD-ID in structured data' };
    const params: Record<string, string> = Object.create(null);
    i = name.lastIndex;
    while (rest[i] === ' ') {
      name.lastIndex = i + 1;
      const param = name.exec(rest);
      if (!param || rest[name.lastIndex] !== '=' || rest[name.lastIndex + 1] !== '"') {
        return { reason: `invalid parameter in structured data element [${id[0]}]` };
      }
      i = name.lastIndex + 2;
      let value = '';
      while (i < rest.length && rest[i] !== '"') {
        // Only \" \\ \] are escapes; any other backslash is kept as written (RFC 5424 §6.3.3).
        if (rest[i] === '\\' && (rest[i + 1] === '"' || rest[i + 1] === '\\' || rest[i + 1] === ']')) i++;
        value += rest[i];
        i++;
      }
      if (i >= rest.length) return { reason: `unterminated parameter value in structured data element [${id[0]}]` };
      params[param[0]] = value;
      i++;
    }
    if (rest[i] !== ']') return { reason: `unterminated structured data element [${id[0]}]` };
    // Defined, not assigned: an SD-ID is the sender's text, and "__proto__" must stay a key like any other.
    Object.defineProperty(data, id[0], { value: { ...params }, enumerable: true, writable: true, configurable: true });
    i++;
  }
  return { data, end: i };
}

/** `Mmm dd hh:mm:ss`, the day space-padded; some senders zero-pad it, which we accept too. */
const BSD_STAMP = /^([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) /;
/** `tag[pid]: `, the tag naming the program; without it the whole rest is the text. */
const BSD_TAG = /^([^\s[\]:]{1,48})(?:\[([^\]\s]{1,128})\])?: ?/;

function parse3164(head: Head, rest: string, receivedAt: Date): SyslogResult {
  const m = BSD_STAMP.exec(rest);
  if (!m) return fail(`missing or invalid BSD timestamp: expected "Mmm dd hh:mm:ss", got "${clip(rest.slice(0, 16))}"`);
  const month = MONTHS.indexOf(m[1]!) + 1;
  if (month === 0) return fail(`invalid BSD timestamp: unknown month "${m[1]}"`);
  const [day, hour, minute, second] = m.slice(2, 6).map((x) => Number(x!.trim())) as [number, number, number, number];
  const thisYear = receivedAt.getUTCFullYear();
  let timestamp = calendarDate(thisYear, month, day, hour, minute, second);
  // A message sent at 23:59:59 on 31 December can arrive after midnight; it belongs to the old year.
  if (!timestamp || timestamp.getTime() - receivedAt.getTime() > DAY_MS) {
    timestamp = calendarDate(thisYear - 1, month, day, hour, minute, second);
  }
  if (!timestamp) return fail(`invalid BSD timestamp "${m[0].trim()}": no such date or time`);
  const tooFar = checkPlausible(timestamp, receivedAt);
  if (tooFar) return fail(tooFar);
  let body = rest.slice(m[0].length);
  let hostname: string | null = null;
  // The hostname is optional in practice: a token ending in ':' or holding '[' is already the tag.
  const first = /^(\S+) /.exec(body);
  if (first && !/[:[]/.test(first[1]!)) {
    hostname = first[1]!;
    body = body.slice(first[0].length);
  }
  const tag = BSD_TAG.exec(body);
  if (tag) body = body.slice(tag[0].length);
  return {
    ok: true,
    message: {
      ...head,
      timestamp,
      hostname,
      appName: tag?.[1] ?? null,
      procId: tag?.[2] ?? null,
      msgId: null,
      structuredData: {},
      text: cleanText(body),
    },
  };
}

/** A NUL inside the text would truncate it in C-based tools downstream, hiding what follows. */
function cleanText(text: string): string {
  return text.replaceAll('\u0000', '\uFFFD');
}

function nil(field: string): string | null {
  return field === '-' ? null : field;
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
/** Ten digits already allow frames far over any sane limit. */
const MAX_COUNT_DIGITS = 10;

/**
 * Splits a TCP syslog stream (RFC 6587) into messages: octet-counted frames (`123 <34>1 ...`)
 * and newline-terminated ones, which senders may mix. Never holds more than one maximum-size
 * message: a longer frame is skipped as it streams past and counted in {@link dropped}.
 */
export class SyslogFrameSplitter {
  /** Frames skipped for being over the limit or empty. */
  dropped = 0;
  private pending: Buffer = Buffer.alloc(0);
  /** Bytes still to skip of an oversized octet-counted frame. */
  private skipBytes = 0;
  /** Skipping an oversized newline-terminated frame up to its newline. */
  private skipLine = false;

  constructor(private readonly maxMessageBytes = MAX_SYSLOG_MESSAGE_BYTES) {}

  /** Bytes held for an incomplete frame: never more than one message and its count. */
  get buffered(): number {
    return this.pending.length;
  }

  push(chunk: Buffer): Buffer[] {
    const buf = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    const out: Buffer[] = [];
    let i = 0;
    while (i < buf.length) {
      if (this.skipBytes > 0) {
        const n = Math.min(this.skipBytes, buf.length - i);
        this.skipBytes -= n;
        i += n;
        continue;
      }
      if (this.skipLine) {
        const newline = buf.indexOf(LF, i);
        if (newline < 0) {
          i = buf.length;
          break;
        }
        this.skipLine = false;
        i = newline + 1;
        continue;
      }
      if (buf[i] === LF || buf[i] === CR) {
        i++;
        continue;
      }
      const counted = this.octetCounted(buf, i, out);
      if (counted === 'wait') break;
      if (counted !== null) {
        i = counted;
        continue;
      }
      const newline = buf.indexOf(LF, i);
      if (newline < 0) {
        if (buf.length - i > this.maxMessageBytes) {
          this.dropped++;
          this.skipLine = true;
          i = buf.length;
        }
        break;
      }
      const end = buf[newline - 1] === CR ? newline - 1 : newline;
      this.emit(buf.subarray(i, end), out);
      i = newline + 1;
    }
    // A copy, so that a large chunk is not kept alive by the few bytes left of it.
    this.pending = Buffer.from(buf.subarray(i));
    return out;
  }

  /** The last message when the stream ends without a final newline; resets the splitter. */
  end(): Buffer[] {
    const out: Buffer[] = [];
    if (this.pending.length > 0 && this.skipBytes === 0 && !this.skipLine) this.emit(this.pending, out);
    this.pending = Buffer.alloc(0);
    this.skipBytes = 0;
    this.skipLine = false;
    return out;
  }

  /** The index after an octet-counted frame; 'wait' for more bytes; null when this is not one. */
  private octetCounted(buf: Buffer, start: number, out: Buffer[]): number | 'wait' | null {
    let j = start;
    while (j < buf.length && j - start <= MAX_COUNT_DIGITS && buf[j]! >= 0x30 && buf[j]! <= 0x39) j++;
    const digits = j - start;
    if (digits === 0 || digits > MAX_COUNT_DIGITS) return null;
    if (j === buf.length) return 'wait';
    if (buf[j] !== SP) return null;
    const count = Number(buf.toString('latin1', start, j));
    const begin = j + 1;
    if (count === 0 || count > this.maxMessageBytes) {
      this.dropped++;
      this.skipBytes = count;
      return begin;
    }
    if (buf.length - begin < count) return 'wait';
    out.push(Buffer.from(buf.subarray(begin, begin + count)));
    return begin + count;
  }

  private emit(frame: Buffer, out: Buffer[]): void {
    if (frame.length === 0) return;
    if (frame.length > this.maxMessageBytes) this.dropped++;
    else out.push(Buffer.from(frame));
  }
}
