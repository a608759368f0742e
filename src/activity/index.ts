/** Activity events: the bus every filter decision goes onto, its batched store and its feed. */
export { type ActivityBus, type ActivityHandler, InProcessActivityBus } from './bus.js';
export type { ActivityEvent } from './event.js';
export { activityFeed, type FeedEvent, type FeedQuery } from './feed.js';
export { newEventId } from './ids.js';
export { extractSearchTerms, MAX_SEARCH_TERMS_LENGTH } from './search-terms.js';
export { ActivityWriter, type ActivityWriterOptions, type ActivityWriterStats } from './writer.js';
