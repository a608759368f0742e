import type { ActivityEvent } from '../../activity/event.js';
import { newEventId } from '../../activity/ids.js';
import { extractSearchTerms } from '../../activity/search-terms.js';
import type { DecisionEvent } from '../gate.js';

/** Enough for any real address; a crafted megabyte of query string stays out of the log. */
export const MAX_URL_LENGTH = 2048;

/**
 * The activity event for one decision. The URL is the one the enforcement point saw (full,
 * with the query, so search terms survive); the engine's normalised `host/path` otherwise.
 *
 * @example
 *   bus.publish(activityEventOf({ source: 'dns', at, clientAddress, decision }));
 */
export function activityEventOf(event: DecisionEvent): ActivityEvent {
  const { decision } = event;
  const seen = event.url ?? decision.url;
  const url = seen && seen.length > MAX_URL_LENGTH ? seen.slice(0, MAX_URL_LENGTH) : seen;
  return {
    id: newEventId(),
    schoolId: decision.schoolId,
    at: event.at,
    source: event.source,
    personId: decision.personId,
    deviceId: decision.deviceId,
    clientAddress: event.clientAddress || null,
    host: decision.host || null,
    url,
    searchTerms: url ? extractSearchTerms(url) : null,
    category: decision.category,
    action: decision.action,
    rule: decision.rule,
    policyVersion: decision.policyVersion,
    profileId: decision.profileId || null,
    alert: decision.alert && decision.action === 'block',
  };
}
