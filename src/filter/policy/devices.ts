import { isIP } from 'node:net';
import type { Kysely } from 'kysely';
import { newId } from '../../db/ids.js';
import type { DB } from '../../db/tables.js';
import { AppError, notFound } from '../../errors/errors.js';
import { ensureFilterPolicy } from './ensure.js';
import { policyWrite, type WriteScope } from './write.js';

/* Devices (an address or MAC the school knows) and subnets (a range mapped to a profile). */

export interface DeviceView {
  id: string;
  name: string;
  address: string | null;
  mac: string | null;
  personId: string | null;
  profileId: string | null;
  createdAt: string;
}

export interface SubnetView {
  id: string;
  name: string;
  cidr: string;
  profileId: string;
  createdAt: string;
}

const MAC = /^[0-9a-f]{2}([:-][0-9a-f]{2}){5}$/i;

export async function listDevices(db: Kysely<DB>, schoolId: string, now: Date): Promise<DeviceView[]> {
  await ensureFilterPolicy(db, schoolId, () => now);
  const rows = await db.selectFrom('filter_devices').selectAll().where('school_id', '=', schoolId).orderBy('name').execute();
  return rows.map((d) => ({
    id: d.id,
    name: d.name,
    address: d.address,
    mac: d.mac,
    personId: d.person_id,
    profileId: d.profile_id,
    createdAt: d.created_at,
  }));
}

async function requireProfile(db: Kysely<DB>, schoolId: string, profileId: string): Promise<void> {
  const p = await db
    .selectFrom('filter_profiles')
    .select('id')
    .where('id', '=', profileId)
    .where('school_id', '=', schoolId)
    .executeTakeFirst();
  if (!p) throw new AppError('validation_failed', 'That profile is not one of this school');
}

export async function addDevice(
  db: Kysely<DB>,
  scope: WriteScope,
  input: { name: string; address: string; mac?: string; personId?: string; profileId?: string; reason: string },
): Promise<DeviceView> {
  const address = input.address.trim().toLowerCase();
  if (!isIP(address)) throw new AppError('validation_failed', `${input.address} is not an IPv4 or IPv6 address`);
  const mac = input.mac?.trim().toLowerCase().replaceAll('-', ':') || null;
  if (mac && !MAC.test(mac)) throw new AppError('validation_failed', `${input.mac} is not a MAC address like 00:1a:2b:3c:4d:5e`);
  return policyWrite(db, scope, input.reason, async (trx) => {
    if (input.personId) {
      const p = await trx
        .selectFrom('people')
        .select('id')
        .where('id', '=', input.personId)
        .where('school_id', '=', scope.schoolId)
        .executeTakeFirst();
      if (!p) throw notFound('Person');
    }
    if (input.profileId) await requireProfile(trx, scope.schoolId, input.profileId);
    const clash = await trx
      .selectFrom('filter_devices')
      .select('name')
      .where('school_id', '=', scope.schoolId)
      .where('address', '=', address)
      .executeTakeFirst();
    if (clash) throw new AppError('conflict', `${address} is already the device "${clash.name}"`);
    const device: DeviceView = {
      id: newId(),
      name: input.name.trim(),
      address,
      mac,
      personId: input.personId ?? null,
      profileId: input.profileId ?? null,
      createdAt: scope.now.toISOString(),
    };
    await trx
      .insertInto('filter_devices')
      .values({
        id: device.id,
        school_id: scope.schoolId,
        name: device.name,
        address,
        mac,
        person_id: device.personId,
        profile_id: device.profileId,
        created_at: device.createdAt,
      })
      .execute();
    return {
      result: device,
      entity: 'device',
      entityId: device.id,
      change: 'create',
      summary: `Added the device "${device.name}" (${address})`,
      before: null,
      after: device,
    };
  });
}

export async function deleteDevice(db: Kysely<DB>, scope: WriteScope, id: string, reason: string): Promise<void> {
  await policyWrite(db, scope, reason, async (trx) => {
    const before = (await listDevices(trx, scope.schoolId, scope.now)).find((d) => d.id === id);
    if (!before) throw notFound('Device');
    await trx.deleteFrom('filter_devices').where('id', '=', id).execute();
    return {
      result: null,
      entity: 'device',
      entityId: id,
      change: 'delete',
      summary: `Removed the device "${before.name}"`,
      before,
      after: null,
    };
  });
}

/** A CIDR range in canonical text, or a refusal (`10.0.5.0/24`, `2001:db8::/48`). */
export function parseCidr(input: string): string {
  const [address, bits, extra] = input.trim().toLowerCase().split('/');
  const family = isIP(address ?? '');
  const prefix = Number(bits);
  if (extra !== undefined || !family || bits === undefined || !/^\d+$/.test(bits) || prefix > (family === 4 ? 32 : 128)) {
    throw new AppError('validation_failed', `${input} is not a network range like 10.0.5.0/24`);
  }
  return `${address}/${prefix}`;
}

export async function listSubnets(db: Kysely<DB>, schoolId: string, now: Date): Promise<SubnetView[]> {
  await ensureFilterPolicy(db, schoolId, () => now);
  const rows = await db.selectFrom('filter_subnets').selectAll().where('school_id', '=', schoolId).orderBy('name').execute();
  return rows.map((s) => ({ id: s.id, name: s.name, cidr: s.cidr, profileId: s.profile_id, createdAt: s.created_at }));
}

export async function addSubnet(
  db: Kysely<DB>,
  scope: WriteScope,
  input: { name: string; cidr: string; profileId: string; reason: string },
): Promise<SubnetView> {
  const cidr = parseCidr(input.cidr);
  return policyWrite(db, scope, input.reason, async (trx) => {
    await requireProfile(trx, scope.schoolId, input.profileId);
    const clash = await trx
      .selectFrom('filter_subnets')
      .select('name')
      .where('school_id', '=', scope.schoolId)
      .where('cidr', '=', cidr)
      .executeTakeFirst();
    if (clash) throw new AppError('conflict', `${cidr} is already the subnet "${clash.name}"`);
    const subnet: SubnetView = {
      id: newId(),
      name: input.name.trim(),
      cidr,
      profileId: input.profileId,
      createdAt: scope.now.toISOString(),
    };
    await trx
      .insertInto('filter_subnets')
      .values({
        id: subnet.id,
        school_id: scope.schoolId,
        name: subnet.name,
        cidr,
        profile_id: subnet.profileId,
        created_at: subnet.createdAt,
      })
      .execute();
    return {
      result: subnet,
      entity: 'subnet',
      entityId: subnet.id,
      change: 'create',
      summary: `Added the subnet "${subnet.name}" (${cidr})`,
      before: null,
      after: subnet,
    };
  });
}

export async function deleteSubnet(db: Kysely<DB>, scope: WriteScope, id: string, reason: string): Promise<void> {
  await policyWrite(db, scope, reason, async (trx) => {
    const before = (await listSubnets(trx, scope.schoolId, scope.now)).find((s) => s.id === id);
    if (!before) throw notFound('Subnet');
    await trx.deleteFrom('filter_subnets').where('id', '=', id).execute();
    return {
      result: null,
      entity: 'subnet',
      entityId: id,
      change: 'delete',
      summary: `Removed the subnet "${before.name}"`,
      before,
      after: null,
    };
  });
}
