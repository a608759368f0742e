/**
 * Proxy and filter log lines as the one event shape monitoring works on, whichever way they
 * reached us: read from a file, or carried as the text of a syslog message.
 */
import { extractSearchTerms } from '../../activity/search-terms.js';
import { type E2guardianEntry, type E2guardianOptions, parseE2guardian } from './e2guardian.js';
import { type ProxyLogEntry, parseSquidNative } from './squid.js';
import type { SyslogMessage } from './syslog.js';

export interface IngestedEvent {
  at: Date;
  /** Where the event came from, such as `squid` or `e2guardian@proxy1`: for the operator, not for matching. */
  source: string;
  person: { username?: string; address?: string };
  url?: string;
  host?: string;
  text?: string;
  searchTerms?: string[];
}

export type LogFormat = 'squid' | 'e2guardian';

export type EventResult = { ok: true; event: IngestedEvent } | { ok: false; reason: string };

/** A parsed proxy or filter line as an event. */
export function logLineToEvent(entry: ProxyLogEntry | E2guardianEntry, source: string): IngestedEvent {
  const event: IngestedEvent = { at: entry.at, source, person: {} };
  if (entry.username) event.person.username = entry.username;
  if (entry.clientAddress) event.person.address = entry.clientAddress;
  event.url = entry.url;
  const host = hostOf(entry.method, entry.url);
  if (host) event.host = host;
  const terms = extractSearchTerms(entry.url);
  if (terms) event.searchTerms = [terms];
  return event;
}

/** One raw line in the given format, parsed and turned into an event. */
export function parseLogLine(line: string, format: LogFormat, source: string, options: E2guardianOptions = {}): EventResult {
  const parsed = format === 'squid' ? parseSquidNative(line) : parseE2guardian(line, options);
  return parsed.ok ? { ok: true, event: logLineToEvent(parsed.entry, source) } : parsed;
}

/**
 * A syslog message whose text is a proxy or filter line (Squid's `access_log syslog:`,
 * e2guardian's `syslog = on`). The line's own time wins over the syslog header's: it is when the
 * request happened, not when it was forwarded.
 */
export function syslogToEvent(message: SyslogMessage, format: LogFormat, options: E2guardianOptions = {}): EventResult {
  const source = message.hostname ? `${format}@${message.hostname}` : format;
  return parseLogLine(message.text, format, source, options);
}

/** CONNECT logs `host:port` instead of a URL: through HTTPS the host is all a proxy sees. */
function hostOf(method: string, url: string): string | undefined {
  if (method === 'CONNECT') {
    const host = /^\[?([^\]\s]+?)\]?(?::\d+)?$/.exec(url)?.[1];
    return host ? host.toLowerCase() : undefined;
  }
  try {
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`;
    const host = new URL(withScheme).hostname.replace(/^\[|\]$/g, '');
    return host || undefined;
  } catch {
    return undefined;
  }
}
