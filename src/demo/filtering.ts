import type { AppContext } from '../server/context.js';
import { importUt1, type ListImportReport, refreshLockedLists } from '../filter/lists/index.js';
import { addDevice, addSubnet } from '../filter/policy/devices.js';
import { ensureFilterPolicy } from '../filter/policy/ensure.js';
import type { WriteScope } from '../filter/policy/write.js';

/** Addresses on this machine that stand for the demo school's devices (all of 127/8 is loopback). */
export const DEMO_DEVICES = [
  { address: '127.0.0.10', username: 'demo.student10', name: 'Demo student laptop' },
  { address: '127.0.0.20', username: 'demo.teacher', name: 'Demo staff laptop' },
] as const;

/** Any other local address is treated as a KS3 pupil's machine: the filter's strict side by default. */
export const DEMO_SUBNET = { cidr: '127.0.0.0/8', profileKey: 'ks3', name: 'This machine (demo: the KS3 pupil network)' } as const;

export interface DemoFilteringResult {
  devices: { address: string; username: string; name: string }[];
  subnet: { cidr: string; profileKey: string };
  lists: ListImportReport;
}

/**
 * Makes the demo school's filter something a newcomer can try from one machine: the default
 * policy, two devices on loopback addresses (a Year 10 pupil's and a teacher's laptop), the
 * rest of loopback as the KS3 network, the locked test entries, and the UT1 lists from
 * config.filter.ut1Source. Every change goes through the change-control log like any other.
 *
 * @example
 *   const demo = await createDemoSchool(ctx, { password });
 *   await setUpDemoFiltering(ctx, demo.schoolId, demo.trustId);
 *   // dig @127.0.0.1 -p 5353 -b 127.0.0.10 <a gambling domain>  → the block-page address
 */
export async function setUpDemoFiltering(ctx: AppContext, schoolId: string, trustId: string): Promise<DemoFilteringResult> {
  await ensureFilterPolicy(ctx.db, schoolId, ctx.clock);
  const scope: WriteScope = {
    schoolId,
    trustId,
    actor: { accountId: null, username: null, personId: null, name: 'Tutela demo set-up' },
    now: ctx.clock(),
  };
  const reason = 'demo school: devices a newcomer can try from this machine';
  for (const device of DEMO_DEVICES) {
    const person = await ctx.db
      .selectFrom('accounts')
      .innerJoin('people', 'people.id', 'accounts.person_id')
      .select('people.id')
      .where('accounts.username', '=', device.username)
      .where('people.school_id', '=', schoolId)
      .executeTakeFirstOrThrow();
    await addDevice(ctx.db, scope, { name: device.name, address: device.address, personId: person.id, reason });
  }
  const profile = await ctx.db
    .selectFrom('filter_profiles')
    .select('id')
    .where('school_id', '=', schoolId)
    .where('key', '=', DEMO_SUBNET.profileKey)
    .executeTakeFirstOrThrow();
  await addSubnet(ctx.db, scope, { name: DEMO_SUBNET.name, cidr: DEMO_SUBNET.cidr, profileId: profile.id, reason });
  await refreshLockedLists(ctx);
  const lists = await importUt1(ctx, { source: ctx.config.filter.ut1Source, actor: null, reason: 'demo school: first list import' });
  return {
    devices: DEMO_DEVICES.map((d) => ({ ...d })),
    subnet: { cidr: DEMO_SUBNET.cidr, profileKey: DEMO_SUBNET.profileKey },
    lists,
  };
}
