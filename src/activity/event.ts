import type { CategoryId } from '../filter/categories.js';
import type { Action, DecidingRule } from '../filter/model.js';

/**
 * One filter decision as the rest of Tutela sees it: what the activity log stores, what the
 * live feed shows and what the safeguarding alerts read. Plain data, so it can travel over a
 * message bus between processes later without change.
 */
export interface ActivityEvent {
  id: string;
  schoolId: string;
  at: Date;
  source: 'dns' | 'proxy' | 'block_page';
  personId: string | null;
  deviceId: string | null;
  clientAddress: string | null;
  host: string | null;
  url: string | null;
  /** What the person searched for, when the URL was a search-engine or video-site search. */
  searchTerms: string | null;
  category: CategoryId | null;
  action: Action;
  rule: DecidingRule;
  policyVersion: number;
  profileId: string | null;
  /** The school wants its DSL told about this block (an alerting category). */
  alert: boolean;
}
