import type { FilterDecision, FilterRequest } from './model.js';

/**
 * What the enforcement points (DNS filter, HTTP proxy, block page) see of the filter. The
 * runtime implements it over the compiled snapshots of every school and keeps them current;
 * the DNS server and the proxy only ask and report.
 */
export interface FilterGate {
  /** Synchronous and allocation-light: it runs for every DNS query and proxy request. */
  decide(request: FilterRequest): FilterDecision;
  /** Never blocks or throws: the event is queued for the bus and stored in batches. */
  record(event: DecisionEvent): void;
}

/** One decision as it happened, the raw material of an activity event. */
export interface DecisionEvent {
  source: 'dns' | 'proxy' | 'block_page';
  at: Date;
  clientAddress: string;
  decision: FilterDecision;
  /** The full URL when the enforcement point saw one (plain HTTP through the proxy). */
  url?: string | null;
  /** Username from proxy authentication, when given. */
  username?: string | null;
}
