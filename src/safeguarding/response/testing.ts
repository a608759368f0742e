export { insertIncident, type SafeguardingWorld as ResponseWorld, safeguardingWorld as responseWorld } from '../testing.js';
