import type { Kysely } from 'kysely';
import { type Actor, authorize } from '../access/policy.js';
import { recordAudit } from '../audit/service.js';
import { newId } from '../db/ids.js';
import { AGREEMENT_AUDIENCES, type AgreementAudience, type DB, type PersonKind } from '../db/tables.js';
import { AppError, notFound } from '../errors/errors.js';
import { DEFAULT_AGREEMENTS } from './defaults.js';
import { loadAgreementSettings, nextRenewalAt, schoolYearOf } from './settings.js';
import { isUniqueViolation } from '../db/errors.js';
import { personName } from '../directory/names.js';
import { bumpPolicyVersion } from '../filter/policy/write.js';

/** The largest agreement text a school may publish, in bytes of UTF-8. */
export const MAX_BODY_BYTES = 100 * 1024;

/** Audiences whose members cannot use the system at all until they have accepted. */
const GATED_AUDIENCES: readonly AgreementAudience[] = ['staff', 'community'];

/**
 * Which agreement a person reads. Pupils by year group (Reception–Year 2, Years 3–6, Years
 * 7–13); governors read the staff agreement because they use school systems; guests and
 * community users share one. A pupil without a year group has none until the MIS says which.
 */
export function audienceOf(person: { kind: PersonKind; year_group: number | null }): AgreementAudience | null {
  switch (person.kind) {
    case 'student': {
      const y = person.year_group;
      if (y === null || !Number.isInteger(y)) return null;
      if (y >= 0 && y <= 2) return 'ks1';
      if (y >= 3 && y <= 6) return 'ks2';
      if (y >= 7 && y <= 13) return 'secondary';
      return null;
    }
    case 'staff':
    case 'governor':
      return 'staff';
    case 'parent':
      return 'parent';
    case 'guest':
    case 'community':
      return 'community';
  }
}

export interface DocumentRow {
  id: string;
  audience: AgreementAudience;
  version: number;
  title: string;
  body_md: string;
  change_note: string;
  created_at: string;
  created_by: string | null;
}

/** The newest version of each audience's agreement the school has published. */
export async function currentDocuments(db: Kysely<DB>, schoolId: string): Promise<Map<AgreementAudience, DocumentRow>> {
  const rows = await db
    .selectFrom('agreement_documents as d')
    .select(['d.id', 'd.audience', 'd.version', 'd.title', 'd.body_md', 'd.change_note', 'd.created_at', 'd.created_by'])
    .where('d.school_id', '=', schoolId)
    .where(({ eb, selectFrom }) =>
      eb(
        'd.version',
        '=',
        selectFrom('agreement_documents as n')
          .select((e) => e.fn.max('n.version').as('v'))
          .whereRef('n.school_id', '=', 'd.school_id')
          .whereRef('n.audience', '=', 'd.audience'),
      ),
    )
    .execute();
  return new Map(rows.map((r) => [r.audience, r]));
}

async function currentDocument(db: Kysely<DB>, schoolId: string, audience: AgreementAudience): Promise<DocumentRow | undefined> {
  return db
    .selectFrom('agreement_documents')
    .select(['id', 'audience', 'version', 'title', 'body_md', 'change_note', 'created_at', 'created_by'])
    .where('school_id', '=', schoolId)
    .where('audience', '=', audience)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export interface AgreementStatus {
  /** True when the person has not accepted the current version in the current school year. */
  required: boolean;
  audience: AgreementAudience | null;
  documentId?: string;
}

/**
 * Whether a person still has to accept their agreement at `at`. A person whose audience has
 * no published agreement is never required to accept anything, so schools that have not set
 * agreements up are unaffected.
 *
 * @example
 *   const s = await agreementStatus(db, schoolId, personId, new Date());
 *   if (s.required && GATED_AUDIENCES.includes(s.audience!)) ... // hold them at the accept page
 */
export async function agreementStatus(db: Kysely<DB>, schoolId: string, personId: string, at: Date): Promise<AgreementStatus> {
  const person = await db
    .selectFrom('people')
    .select(['kind', 'year_group'])
    .where('id', '=', personId)
    .where('school_id', '=', schoolId)
    .executeTakeFirst();
  if (!person) throw notFound('Person');
  const audience = audienceOf(person);
  if (!audience) return { required: false, audience: null };
  const doc = await currentDocument(db, schoolId, audience);
  if (!doc) return { required: false, audience };
  const year = schoolYearOf(at, (await loadAgreementSettings(db, schoolId)).renewOn);
  const accepted = await db
    .selectFrom('agreement_acceptances')
    .select('id')
    .where('person_id', '=', personId)
    .where('document_id', '=', doc.id)
    .where('school_year', '=', year)
    .executeTakeFirst();
  return { required: !accepted, audience, documentId: doc.id };
}

/** Whether the person must accept before using the system at all: staff, volunteers, governors and guests. */
export async function gateRequired(db: Kysely<DB>, schoolId: string, personId: string, at: Date): Promise<boolean> {
  const status = await agreementStatus(db, schoolId, personId, at);
  return status.required && status.audience !== null && GATED_AUDIENCES.includes(status.audience);
}

/** Audiences the web filter never holds: a Key Stage 1 pupil's agreement is a parent's to accept, not the child's. */
const FILTER_EXEMPT_AUDIENCES: readonly AgreementAudience[] = ['ks1'];

export interface FilterHolds {
  /** People the filter holds at the acceptance page. */
  personIds: string[];
  /** When the answer goes stale by itself: the next renewal, when this year's acceptances stop counting. */
  until: Date;
}

/**
 * Who the web filter holds at the acceptance page at `at`: current people with an active account
 * (so they can sign in and accept) whose audience has a published agreement they have not accepted
 * this school year, unless the school has turned holding off. One query over people, their
 * accounts and this year's acceptances of the current versions, whatever the size of the school.
 *
 * @example
 *   const { personIds } = await filterHolds(db, schoolId, new Date());
 */
export async function filterHolds(db: Kysely<DB>, schoolId: string, at: Date): Promise<FilterHolds> {
  const settings = await loadAgreementSettings(db, schoolId);
  const until = nextRenewalAt(at, settings.renewOn);
  if (!settings.holdInFilter) return { personIds: [], until };
  const docs = await currentDocuments(db, schoolId);
  const docIds = [...docs.values()].map((d) => d.id);
  if (docIds.length === 0) return { personIds: [], until };
  const year = schoolYearOf(at, settings.renewOn);
  const rows = await db
    .selectFrom('people as p')
    .leftJoin('agreement_acceptances as a', (join) =>
      join.onRef('a.person_id', '=', 'p.id').on('a.school_year', '=', year).on('a.document_id', 'in', docIds),
    )
    .select(['p.id', 'p.kind', 'p.year_group', 'a.document_id'])
    .where('p.school_id', '=', schoolId)
    .where('p.status', '=', 'active')
    .where((eb) => eb.or([eb('p.expires_at', 'is', null), eb('p.expires_at', '>', at.toISOString())]))
    .where(({ exists, selectFrom }) =>
      exists(selectFrom('accounts as c').select('c.id').whereRef('c.person_id', '=', 'p.id').where('c.disabled_at', 'is', null)),
    )
    .execute();
  const accepted = new Set<string>();
  const due = new Map<string, string>();
  for (const row of rows) {
    const audience = audienceOf(row);
    const doc = audience && !FILTER_EXEMPT_AUDIENCES.includes(audience) ? docs.get(audience) : undefined;
    if (!doc) continue;
    if (row.document_id === doc.id) accepted.add(row.id);
    else due.set(row.id, doc.id);
  }
  return { personIds: [...due.keys()].filter((id) => !accepted.has(id)), until };
}

export interface MineEntry {
  personId: string;
  personName: string;
  audience: AgreementAudience;
  onBehalf: boolean;
  canAccept: boolean;
  document: { id: string; audience: AgreementAudience; version: number; title: string; bodyMd: string };
  accepted: { at: string; version: number; byName: string } | null;
  due: boolean;
}

/**
 * The actor's own current agreement and, for a parent, each child's. `required` is true when
 * the actor is held at the accept page (staff and guests with an outstanding agreement).
 */
export async function myAgreements(db: Kysely<DB>, actor: Actor, at: Date): Promise<{ required: boolean; agreements: MineEntry[] }> {
  const ids = [actor.personId, ...actor.childIds];
  const people = await db
    .selectFrom('people')
    .select(['id', 'kind', 'year_group', 'given_name', 'family_name', 'preferred_name'])
    .where('school_id', '=', actor.schoolId)
    .where('id', 'in', ids)
    .execute();
  const docs = await currentDocuments(db, actor.schoolId);
  const year = schoolYearOf(at, (await loadAgreementSettings(db, actor.schoolId)).renewOn);
  const acceptances = await db
    .selectFrom('agreement_acceptances as a')
    .innerJoin('people as by', 'by.id', 'a.accepted_by')
    .select([
      'a.person_id',
      'a.document_id',
      'a.version',
      'a.accepted_at',
      'a.school_year',
      'by.given_name',
      'by.family_name',
      'by.preferred_name',
    ])
    .where('a.school_id', '=', actor.schoolId)
    .where('a.person_id', 'in', ids)
    .orderBy('a.accepted_at', 'desc')
    .orderBy('a.version', 'desc')
    .execute();

  // Yourself first, then your children by name, whatever order the guardian links come in.
  const byName = (id: string) => {
    const p = people.find((x) => x.id === id);
    return p ? `${p.family_name}\u0000${p.preferred_name ?? p.given_name}\u0000${p.id}` : id;
  };
  const children = [...actor.childIds].sort((a, b) => byName(a).localeCompare(byName(b), 'en-GB'));
  const agreements: MineEntry[] = [];
  let required = false;
  for (const id of [actor.personId, ...children]) {
    const person = people.find((p) => p.id === id);
    if (!person) continue;
    const audience = audienceOf(person);
    const doc = audience ? docs.get(audience) : undefined;
    if (!audience || !doc) continue;
    const own = id === actor.personId;
    const current = acceptances.find((a) => a.person_id === id && a.document_id === doc.id && a.school_year === year);
    const latest = current ?? acceptances.find((a) => a.person_id === id);
    const due = !current;
    if (own && due && GATED_AUDIENCES.includes(audience)) required = true;
    agreements.push({
      personId: id,
      personName: personName(person),
      audience,
      onBehalf: !own,
      canAccept: !(own && audience === 'ks1'),
      document: { id: doc.id, audience, version: doc.version, title: doc.title, bodyMd: doc.body_md },
      accepted: latest ? { at: latest.accepted_at, version: latest.version, byName: personName(latest) } : null,
      due,
    });
  }
  return { required, agreements };
}

export interface AcceptanceView {
  id: string;
  documentId: string;
  audience: AgreementAudience;
  version: number;
  personId: string;
  acceptedBy: string;
  onBehalf: boolean;
  acceptedAt: string;
  schoolYear: string;
}

/**
 * Records "Accept" for a person: their own agreement, or a child's by their parent or carer.
 * A Key Stage 1 pupil's agreement is accepted by a parent, never by the pupil. Accepting the
 * same version twice in a school year returns the first acceptance.
 */
export async function acceptAgreement(
  db: Kysely<DB>,
  actor: Actor,
  input: { documentId: string; personId: string },
  client: { ip: string | null; userAgent: string | null },
  at: Date,
): Promise<AcceptanceView> {
  const doc = await db
    .selectFrom('agreement_documents')
    .select(['id', 'audience', 'version'])
    .where('id', '=', input.documentId)
    .where('school_id', '=', actor.schoolId)
    .executeTakeFirst();
  if (!doc) throw notFound('Agreement');
  const person = await db
    .selectFrom('people')
    .select(['id', 'kind', 'year_group'])
    .where('id', '=', input.personId)
    .where('school_id', '=', actor.schoolId)
    .executeTakeFirst();
  if (!person) throw notFound('Person');
  authorize(actor, 'agreement.accept', { type: 'person', schoolId: actor.schoolId, trustId: actor.trustId, personId: person.id });
  const audience = audienceOf(person);
  const self = person.id === actor.personId;
  if (self && audience === 'ks1') {
    throw new AppError('forbidden', "A parent or carer accepts a Key Stage 1 pupil's agreement on the child's behalf");
  }
  if (audience !== doc.audience) throw new AppError('conflict', 'This agreement is not the one for this person');
  const current = await currentDocument(db, actor.schoolId, doc.audience);
  if (current?.id !== doc.id) throw new AppError('conflict', 'A newer version of this agreement exists: read and accept that one');
  const year = schoolYearOf(at, (await loadAgreementSettings(db, actor.schoolId)).renewOn);

  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('agreement_acceptances')
      .selectAll()
      .where('person_id', '=', person.id)
      .where('document_id', '=', doc.id)
      .where('school_year', '=', year)
      .orderBy('accepted_at')
      .executeTakeFirst();
    const row = existing ?? {
      id: newId(),
      school_id: actor.schoolId,
      document_id: doc.id,
      audience: doc.audience,
      version: doc.version,
      person_id: person.id,
      accepted_by: actor.personId,
      on_behalf: self ? 0 : 1,
      accepted_at: at.toISOString(),
      address: client.ip,
      device: client.userAgent ? client.userAgent.slice(0, 300) : null,
      school_year: year,
    };
    if (!existing) {
      // The filter holds people who have not accepted: moving the version lets them through at
      // its next poll. The version first, as every policy change does: one lock order.
      await bumpPolicyVersion(trx, [actor.schoolId], at);
      await trx.insertInto('agreement_acceptances').values(row).execute();
      await recordAudit(trx, {
        action: 'agreement.accepted',
        actor,
        targetType: 'person',
        targetId: person.id,
        schoolId: actor.schoolId,
        ip: client.ip,
        details: { audience: doc.audience, version: doc.version, onBehalf: !self, schoolYear: year },
        at,
      });
    }
    return {
      id: row.id,
      documentId: row.document_id,
      audience: row.audience,
      version: row.version,
      personId: row.person_id,
      acceptedBy: row.accepted_by,
      onBehalf: row.on_behalf === 1,
      acceptedAt: row.accepted_at,
      schoolYear: row.school_year,
    };
  });
}

/**
 * Stores a new version of an audience's agreement, whole. Earlier versions are never changed,
 * so every acceptance keeps pointing at the exact words that were accepted.
 */
export async function publishVersion(
  db: Kysely<DB>,
  input: { schoolId: string; audience: AgreementAudience; title: string; bodyMd: string; changeNote: string },
  by: { actor: Actor | null; ip: string | null },
  at: Date,
): Promise<DocumentRow> {
  const title = input.title.trim();
  const changeNote = input.changeNote.trim();
  if (!title) throw new AppError('validation_failed', 'Invalid request: the title must not be empty');
  if (!input.bodyMd.trim()) throw new AppError('validation_failed', 'Invalid request: the agreement text must not be empty');
  if (Buffer.byteLength(input.bodyMd, 'utf8') > MAX_BODY_BYTES) {
    throw new AppError('payload_too_large', 'The agreement text is longer than 100 KB');
  }
  const run = <T>(work: (trx: Kysely<DB>) => Promise<T>) => (db.isTransaction ? work(db) : db.transaction().execute(work));
  return run(async (trx) => {
    // A new version is due from everyone in its audience, so the filter recompiles who it holds.
    // The version first, as every policy change does: one lock order, so no deadlock.
    await bumpPolicyVersion(trx, [input.schoolId], at);
    const last = await trx
      .selectFrom('agreement_documents')
      .select((e) => e.fn.max('version').as('v'))
      .where('school_id', '=', input.schoolId)
      .where('audience', '=', input.audience)
      .executeTakeFirst();
    const row: DocumentRow = {
      id: newId(),
      audience: input.audience,
      version: Number(last?.v ?? 0) + 1,
      title,
      body_md: input.bodyMd,
      change_note: changeNote,
      created_at: at.toISOString(),
      created_by: by.actor?.personId ?? null,
    };
    // The unique (school, audience, version) constraint turns a concurrent publish into an error, not a fork.
    try {
      await trx
        .insertInto('agreement_documents')
        .values({ ...row, school_id: input.schoolId })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError(
          'conflict',
          'Someone else published a new version of this agreement at the same moment: reload and check it first',
        );
      }
      throw error;
    }
    await recordAudit(trx, {
      action: 'agreement.published',
      actor: by.actor,
      targetType: 'agreement_document',
      targetId: row.id,
      schoolId: input.schoolId,
      ip: by.ip,
      details: { audience: row.audience, version: row.version, changeNote },
      at,
    });
    return row;
  });
}

/** Publishes version 1 of every default agreement the school does not have yet. */
export async function publishDefaultAgreements(db: Kysely<DB>, schoolId: string, at: Date): Promise<void> {
  const existing = await currentDocuments(db, schoolId);
  for (const audience of AGREEMENT_AUDIENCES) {
    if (existing.has(audience)) continue;
    const text = DEFAULT_AGREEMENTS[audience];
    await publishVersion(db, { schoolId, audience, ...text, changeNote: 'The default agreement' }, { actor: null, ip: null }, at);
  }
}
