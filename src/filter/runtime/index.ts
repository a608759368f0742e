/** The filter runtime: compiled snapshots kept current, decisions recorded, alerts, the block page's API. */
export { ALERT_THROTTLE_MS, BlockAlerter } from './alerts.js';
export { type CredentialCheck, checkFilterCredentials } from './authenticate.js';
export { blockedSiteRedirect, ownHostNames } from './block-redirect.js';
export { BLOCK_TOKEN_TTL_MS, type BlockTokenClaims, signBlockToken, verifyBlockToken } from './block-token.js';
export { activityEventOf, MAX_URL_LENGTH } from './events.js';
export { filterRuntimeRoutes, type RuntimeSource } from './routes.js';
export { FilterRuntime, type FilterRuntimeOptions, type RuntimeLog, type RuntimeStats, type SchoolFilter } from './runtime.js';
export { lazyRuntime } from './lazy.js';
export { onFilterReload, reloadFilterNow } from './reload-signal.js';
