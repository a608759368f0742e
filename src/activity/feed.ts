import type { Kysely } from 'kysely';
import type { DB } from '../db/tables.js';
import { AppError } from '../errors/errors.js';

export interface FeedEvent {
  id: string;
  at: string;
  source: string;
  personId: string | null;
  personName: string | null;
  deviceName: string | null;
  clientAddress: string | null;
  host: string | null;
  url: string | null;
  searchTerms: string | null;
  category: string | null;
  action: string;
  rule: string | null;
  policyVersion: number | null;
}

export interface FeedQuery {
  schoolId: string;
  /** An opaque cursor from an earlier page: only newer events come back. */
  after?: string;
  limit: number;
  personId?: string;
  action?: 'allow' | 'block' | 'warn';
}

interface Position {
  at: string;
  id: string;
}

const encodeCursor = (p: Position): string => Buffer.from(`${p.at}|${p.id}`, 'utf8').toString('base64url');

function decodeCursor(cursor: string): Position {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const [at, id, extra] = text.split('|');
  if (!at || !id || extra !== undefined || Number.isNaN(Date.parse(at))) {
    throw new AppError('validation_failed', 'The feed cursor is not one this server gave out');
  }
  return { at, id };
}

/**
 * The live decision feed, newest first. Without a cursor: the latest `limit` events. With
 * one: the events after it, oldest of them first in the page order, so a client polling with
 * the returned cursor sees every event exactly once even when many arrive between polls.
 * Events are ordered by (at, id), which both databases index and compare as text.
 *
 * @example
 *   const first = await activityFeed(db, { schoolId, limit: 50 });
 *   const next = await activityFeed(db, { schoolId, limit: 50, after: first.cursor });
 */
export async function activityFeed(db: Kysely<DB>, query: FeedQuery): Promise<{ events: FeedEvent[]; cursor: string | null }> {
  const after = query.after ? decodeCursor(query.after) : null;
  let q = db
    .selectFrom('activity_events as e')
    .leftJoin('people as p', 'p.id', 'e.person_id')
    .leftJoin('filter_devices as d', 'd.id', 'e.device_id')
    .select([
      'e.id',
      'e.at',
      'e.source',
      'e.person_id',
      'p.given_name',
      'p.preferred_name',
      'p.family_name',
      'd.name as device_name',
      'e.client_address',
      'e.host',
      'e.url',
      'e.search_terms',
      'e.category',
      'e.action',
      'e.rule',
      'e.policy_version',
    ])
    .where('e.school_id', '=', query.schoolId);
  if (query.personId) q = q.where('e.person_id', '=', query.personId);
  if (query.action) q = q.where('e.action', '=', query.action);
  if (after) {
    q = q
      .where((eb) => eb.or([eb('e.at', '>', after.at), eb.and([eb('e.at', '=', after.at), eb('e.id', '>', after.id)])]))
      .orderBy('e.at', 'asc')
      .orderBy('e.id', 'asc');
  } else {
    q = q.orderBy('e.at', 'desc').orderBy('e.id', 'desc');
  }
  const rows = await q.limit(query.limit).execute();
  if (after) rows.reverse();
  const events = rows.map((r) => ({
    id: r.id,
    at: r.at,
    source: r.source,
    personId: r.person_id,
    personName: r.given_name && r.family_name ? `${r.preferred_name ?? r.given_name} ${r.family_name}` : null,
    deviceName: r.device_name,
    clientAddress: r.client_address,
    host: r.host,
    url: r.url,
    searchTerms: r.search_terms,
    category: r.category,
    action: r.action,
    rule: r.rule,
    policyVersion: r.policy_version,
  }));
  const newest = events[0];
  return { events, cursor: newest ? encodeCursor(newest) : (query.after ?? null) };
}
