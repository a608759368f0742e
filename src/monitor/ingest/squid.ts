/**
 * Squid's native access.log line (`logformat squid`), the format most school proxies keep:
 *   time elapsed client action/code size method URL ident hierarchy/from type
 * The time is Unix seconds with milliseconds, padded with spaces, so fields split on runs of
 * spaces.
 */

/** Far longer than any URL a browser sends; a longer line is damage or an attack, not traffic. */
export const MAX_LOG_LINE_LENGTH = 64 * 1024;

/** One request as a web proxy or filter logged it. */
export interface ProxyLogEntry {
  at: Date;
  clientAddress: string;
  /** The authenticated or ident user name; null when the proxy logged '-'. */
  username: string | null;
  method: string;
  url: string;
  /** The HTTP status sent to the client; 0 when none was (an aborted request). */
  status: number;
  bytes: number;
  /** What the proxy did: Squid's result code (TCP_MISS, TCP_DENIED, ...). */
  action: string;
}

export type SquidResult = { ok: true; entry: ProxyLogEntry } | { ok: false; reason: string };

const TIME = /^(\d{1,11})(?:\.(\d{1,6}))?$/;
const ACTION = /^([A-Z][A-Z0-9_]*)\/(\d{3})$/;
/** An HTTP method token; Squid also logs NONE for requests it could not parse. */
const METHOD = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}$/;

export function parseSquidNative(line: string): SquidResult {
  if (line.length > MAX_LOG_LINE_LENGTH) return fail(`line of ${line.length} characters is over the ${MAX_LOG_LINE_LENGTH} limit`);
  const fields = line.trim().split(/ +/);
  if (fields.length < 9 || fields.length > 10) return fail(`expected 10 space-separated fields, found ${fields.length}`);
  const [time, elapsed, client, actionCode, size, method, url, ident] = fields;
  const at = parseUnixTime(time!);
  if (!at) return fail(`invalid time "${clip(time!)}": expected Unix seconds such as 1700000000.123`);
  if (!/^\d+$/.test(elapsed!)) return fail(`invalid elapsed time "${clip(elapsed!)}"`);
  if (!isAddress(client!)) return fail(`invalid client address "${clip(client!)}"`);
  const action = ACTION.exec(actionCode!);
  if (!action) return fail(`invalid result code "${clip(actionCode!)}": expected ACTION/status such as TCP_MISS/200`);
  if (!/^\d+$/.test(size!)) return fail(`invalid size "${clip(size!)}"`);
  if (!METHOD.test(method!)) return fail(`invalid method "${clip(method!)}"`);
  if (!url || url === '-') return fail('missing URL');
  return {
    ok: true,
    entry: {
      at,
      clientAddress: client!,
      username: username(ident!),
      method: method!,
      url: url!,
      status: Number(action[2]),
      bytes: Number(size),
      action: action[1]!,
    },
  };
}

export function parseUnixTime(text: string): Date | null {
  const m = TIME.exec(text);
  if (!m) return null;
  const millis = Number(m[1]) * 1000 + (m[2] ? Math.floor(Number(`0.${m[2]}`) * 1000) : 0);
  const at = new Date(millis);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** IPv4, IPv6, or a host name when the proxy resolves clients (`log_fqdn on`). */
export function isAddress(text: string): boolean {
  return /^[0-9A-Za-z.:%_-]{1,255}$/.test(text);
}

/** Squid URL-escapes user names (`jane%40school.org`); '-' means nobody authenticated. */
export function username(field: string): string | null {
  if (field === '-' || field === '') return null;
  try {
    return decodeURIComponent(field);
  } catch {
    return field;
  }
}

export function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
