/*
 * The filter's decision engine: pure functions over compiled data. The policy service compiles
 * the installation's lists and each school's policy; the runtime swaps snapshots in and asks
 * `decide` for every DNS query and proxy request. docs/filtering/engine.md explains the rules.
 */
export { decide } from './decide.js';
export { canonicalAddress } from './ip.js';
export { type CompiledLists, categoriesOf, compileLists } from './lists.js';
export { type LocalMoment, windowKindOf } from './local-time.js';
export { type NormalisedTarget, normaliseTarget } from './normalise.js';
export { compilePolicy, type Snapshot, type SnapshotInfo, snapshotClaimsAddress, snapshotInfo, snapshotKnowsPerson } from './snapshot.js';
