/**
 * Rows for the report and retention tests, written straight into the tables the way the
 * filter's activity writer, the ingestion sink and the alert analyser write them.
 */
import { newId } from '../../db/ids.js';
import type { ActivityEventTable, MonitorAlertTable } from '../../db/tables.js';
import type { AppContext } from '../../server/context.js';

export async function insertActivity(
  ctx: AppContext,
  row: {
    schoolId: string;
    at: string;
    action: ActivityEventTable['action'];
    category?: string | null;
    personId?: string | null;
    address?: string | null;
    host?: string | null;
  },
): Promise<string> {
  const id = newId();
  await ctx.db
    .insertInto('activity_events')
    .values({
      id,
      school_id: row.schoolId,
      at: row.at,
      source: 'proxy',
      person_id: row.personId ?? null,
      device_id: null,
      client_address: row.address ?? '10.0.0.1',
      host: row.host ?? 'example.com',
      url: null,
      search_terms: null,
      category: row.category ?? null,
      action: row.action,
      rule: null,
      policy_version: 1,
      profile_id: null,
    })
    .execute();
  return id;
}

export async function insertEvent(
  ctx: AppContext,
  row: { schoolId: string; at: string; blocked: boolean | null; personId?: string | null; address?: string | null; host?: string | null },
): Promise<string> {
  const id = newId();
  await ctx.db
    .insertInto('monitor_events')
    .values({
      id,
      school_id: row.schoolId,
      at: row.at,
      received_at: row.at,
      source_id: null,
      source: 'squid@proxy1',
      kind: 'web',
      person_id: row.personId ?? null,
      username: null,
      client_address: row.address ?? '10.0.0.1',
      device: null,
      host: row.host ?? 'example.com',
      url: null,
      search_terms: null,
      text: null,
      blocked: row.blocked === null ? null : row.blocked ? 1 : 0,
    })
    .execute();
  return id;
}

export async function insertAlert(
  ctx: AppContext,
  row: {
    schoolId: string;
    createdAt: string;
    category: string;
    severity: MonitorAlertTable['severity'];
    personId: string | null;
    who: string;
    profile: MonitorAlertTable['profile'];
    status?: MonitorAlertTable['status'];
    resolvedAt?: string | null;
  },
): Promise<string> {
  const id = newId();
  const status = row.status ?? 'open';
  await ctx.db
    .insertInto('monitor_alerts')
    .values({
      id,
      school_id: row.schoolId,
      person_id: row.personId,
      who: row.who,
      profile: row.profile,
      category: row.category,
      severity: row.severity,
      base_severity: row.severity,
      risk_raised: 0,
      entry_id: 'en-test',
      term: 'test term',
      matched: 'test term',
      source: 'filter:proxy',
      event_kind: 'search',
      event_id: null,
      device: null,
      url: null,
      excerpt: 'a test term here',
      highlight_start: 2,
      highlight_end: 11,
      fold_key: newId(),
      count: 1,
      first_at: row.createdAt,
      last_at: row.createdAt,
      status,
      fp_reason: status === 'false_positive' ? 'schoolwork' : null,
      resolved_by: status === 'open' ? null : 'someone',
      resolved_at: row.resolvedAt ?? (status === 'open' ? null : row.createdAt),
      incident_id: null,
      keywords_version: 1,
      created_at: row.createdAt,
    })
    .execute();
  return id;
}

/**
 * The text and HTML parts of a raw message as a mail client would show them, transfer
 * encodings (quoted-printable, base64) undone, so a test can search what a reader sees.
 */
export function mailParts(raw: string): { text: string; html: string; headers: string } {
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(raw)?.[1];
  const headers = raw.slice(0, raw.search(/\r?\n\r?\n/));
  const parts = boundary ? raw.split(`--${boundary}`).slice(1, -1) : [raw];
  const out = { text: '', html: '', headers };
  for (const part of parts) {
    const split = part.search(/\r?\n\r?\n/);
    const head = part.slice(0, split);
    const body = part.slice(split).trim();
    const encoding = /content-transfer-encoding:\s*([\w-]+)/i.exec(head)?.[1]?.toLowerCase();
    let decoded = body;
    if (encoding === 'base64') decoded = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    else if (encoding === 'quoted-printable') {
      const bytes = body.replace(/=\r?\n/g, '').replace(/\r\n/g, '\n');
      decoded = decodeURIComponent(
        bytes.replace(/=([0-9A-F]{2})|[^=]+|=/g, (m, hex?: string) => (hex ? `%${hex}` : encodeURIComponent(m))),
      );
    }
    if (/content-type:\s*text\/html/i.test(head)) out.html += decoded;
    else if (/content-type:\s*text\/plain/i.test(head)) out.text += decoded;
  }
  return out;
}
