/**
 * The capture API's request body (text captured by other systems: e-mail, chat, documents,
 * typed text, searches) and its turning into MonitorEvents. The whole request is checked before
 * anything is stored: one bad event means nothing is written.
 */
import { isIP } from 'node:net';
import { type Static, Type } from '@fastify/type-provider-typebox';
import { extractSearchTerms } from '../../activity/search-terms.js';
import { newEventId } from '../../activity/ids.js';
import { AppError } from '../../errors/errors.js';
import type { EventKind, MonitorEvent } from '../model.js';
import type { CaptureSource } from '../sources/service.js';
import type { Attributor } from './attribute.js';

export const MAX_CAPTURE_EVENTS = 1000;
export const MAX_CAPTURE_TEXT = 64 * 1024;
export const MAX_CAPTURE_BODY_BYTES = 1024 * 1024;
/** How far ahead of our clock a sender's may run before its times are refused as wrong. */
export const MAX_CLOCK_AHEAD_MS = 5 * 60_000;
/** Older than this is a wrong clock or a wrong field, not a capture worth alerting on. */
const EARLIEST = Date.parse('2000-01-01T00:00:00Z');

export const CAPTURE_KINDS = ['email', 'chat', 'document', 'typed', 'search', 'web', 'other'] as const satisfies readonly EventKind[];

export const CaptureEvent = Type.Object(
  {
    at: Type.Optional(Type.String({ maxLength: 40, description: 'When it happened, ISO 8601 with a zone; default now' })),
    kind: Type.Union(
      CAPTURE_KINDS.map((k) => Type.Literal(k)),
      { description: 'What was captured' },
    ),
    username: Type.Optional(Type.String({ maxLength: 256, description: 'The sign-in name; DOMAIN\\user and user@domain are accepted' })),
    address: Type.Optional(Type.String({ maxLength: 64, description: "The device's IP address, used when the username is unknown" })),
    device: Type.Optional(Type.String({ maxLength: 256 })),
    text: Type.Optional(Type.String({ maxLength: MAX_CAPTURE_TEXT, description: 'The captured text, at most 64 KiB' })),
    url: Type.Optional(Type.String({ maxLength: 4096 })),
    host: Type.Optional(Type.String({ maxLength: 253 })),
  },
  { additionalProperties: false },
);
export type CaptureEvent = Static<typeof CaptureEvent>;

export const CaptureBody = Type.Object(
  { events: Type.Array(CaptureEvent, { minItems: 1, maxItems: MAX_CAPTURE_EVENTS }) },
  { additionalProperties: false },
);
export type CaptureBody = Static<typeof CaptureBody>;

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** The time an ISO 8601 string names, or NaN; unlike Date.parse it refuses 30 February rather than rolling over. */
function parseIsoTime(text: string): number {
  const m = ISO_TIME.exec(text);
  if (!m) return Number.NaN;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return Number.NaN;
  return Date.parse(text);
}

/** Throws `validation_failed` naming the first bad event and why; returns each event's time. */
export function checkCaptures(events: readonly CaptureEvent[], now: Date): Date[] {
  return events.map((e, index) => {
    const bad = (reason: string) => new AppError('validation_failed', `Event ${index}: ${reason}. Nothing was stored.`, { index, reason });
    if (!e.text && !e.url) throw bad('needs text or url');
    if (e.address !== undefined && !isIP(e.address)) throw bad(`address "${e.address.slice(0, 64)}" is not an IP address`);
    if (e.at === undefined) return now;
    const at = parseIsoTime(e.at);
    if (Number.isNaN(at)) throw bad(`at "${e.at}" is not an ISO 8601 time with a zone (e.g. 2026-11-24T09:30:00Z)`);
    if (at > now.getTime() + MAX_CLOCK_AHEAD_MS) throw bad(`at ${e.at} is in the future; check the sending system's clock`);
    if (at < EARLIEST) throw bad(`at ${e.at} is before the year 2000`);
    return new Date(at);
  });
}

function hostOf(url: string): string | null {
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`).hostname.toLowerCase() || null;
  } catch {
    return null;
  }
}

export interface BuiltCaptures {
  events: MonitorEvent[];
  /** Indices of the request's events that could not be tied to a person. */
  unattributed: number[];
}

/** The checked request as events, attributed to people, ready for the intake. */
export async function buildCaptureEvents(
  body: CaptureBody,
  source: CaptureSource,
  attributor: Attributor,
  receivedAt: Date,
): Promise<BuiltCaptures> {
  const times = checkCaptures(body.events, receivedAt);
  const unattributed: number[] = [];
  const events: MonitorEvent[] = [];
  for (let index = 0; index < body.events.length; index++) {
    const e = body.events[index]!;
    const at = times[index]!;
    const who = await attributor.resolve(source.schoolId, { username: e.username, address: e.address }, at);
    if (!who.personId) unattributed.push(index);
    const url = e.url ?? null;
    events.push({
      id: newEventId(),
      schoolId: source.schoolId,
      at,
      receivedAt,
      sourceId: source.id,
      source: `capture:${source.name}`,
      kind: e.kind,
      personId: who.personId,
      username: who.username,
      clientAddress: e.address ?? null,
      device: e.device ?? null,
      host: e.host?.toLowerCase() ?? (url ? hostOf(url) : null),
      url,
      searchTerms: url ? extractSearchTerms(url) : null,
      text: e.text ?? null,
      blocked: null,
    });
  }
  return { events, unattributed };
}
