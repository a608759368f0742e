/*
 * The filtering policy module: what other modules use. The runtime loads policies and polls
 * their versions; the incident log applies sanctions; the server mounts the routes.
 */
export { DEFAULT_PROFILES, DEFAULT_TIME_ZONE, DEFAULT_WINDOWS, STUDENT_FREE_WINDOWS } from './defaults.js';
export { ensureFilterPolicy } from './ensure.js';
export { loadFilterPolicy, policyVersions } from './load.js';
export { defaultProfileKey, STAFF_ROLES } from './resolve.js';
export { filterPolicyRoutes } from './routes.js';
export { applyInternetSanction, liftSanction, type SanctionInput } from './sanctions.js';
export { addDevice, addSubnet, deleteDevice, deleteSubnet } from './devices.js';
export { personName } from './rows.js';
export { policyWrite, type PolicyActor, type WriteScope } from './write.js';
