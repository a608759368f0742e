export { type SafeguardingWorld as ConcernsWorld, safeguardingWorld as concernsWorld } from '../testing.js';
