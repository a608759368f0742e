// The filter the benchmarked Tutela proxy asks: the real decision engine, with the block list
// compiled as the gambling category and one profile whose matrix says gambling is unacceptable.
// Events go nowhere: the runtime's batching store is not what this benchmark measures.
import { compileLists, compilePolicy, decide } from '../../src/filter/engine/index.js';
import type { FilterGate } from '../../src/filter/gate.js';
import type { FilterPolicy } from '../../src/filter/model.js';

export function createGate(domains: string[]): { gate: FilterGate; kind: string } {
  const lists = compileLists([{ category: 'gambling', domains, urls: [] }], []);
  const policy: FilterPolicy = {
    schoolId: 'bench-school',
    trustId: 'bench-trust',
    version: 1,
    profiles: [
      {
        id: 'bench-profile',
        schoolId: 'bench-school',
        key: 'ks3',
        name: 'KS3',
        defaultAction: 'allow',
        matrix: { gambling: { level: 'unacceptable' } },
        version: 1,
      },
    ],
    fallbackProfileId: 'bench-profile',
    calendar: { schoolId: 'bench-school', timeZone: 'Europe/London', windows: [], holidays: [] },
    people: [],
    devices: [],
    subnets: [],
    signIns: [],
    lists: [],
    exceptions: [],
    sanctions: [],
    alertingCategories: [],
  };
  const snapshot = compilePolicy(policy, lists);
  return {
    gate: { decide: (request) => decide(snapshot, request), record() {} },
    kind: `the decision engine (compileLists, compilePolicy, decide) over ${domains.length} domains`,
  };
}
