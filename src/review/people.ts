import type { Kysely } from 'kysely';
import type { DB } from '../db/tables.js';
import { personName } from '../directory/names.js';
import { AppError } from '../errors/errors.js';
import { REVIEW_SLOTS, type ReviewSlot, SLOT_LABELS } from './checklist.js';
import type { PersonRef, ReviewCandidates } from './wire.js';

interface SchoolPerson extends PersonRef {
  kind: string;
  roles: Set<string>;
}

/** Who may fill each slot: the DfE standards name an SLT member, a governor, the DSL and IT staff. */
const FITS: Record<ReviewSlot, { test: (p: SchoolPerson) => boolean; needs: string }> = {
  slt: { test: (p) => p.roles.has('head') || p.kind === 'staff', needs: 'a headteacher or a member of staff' },
  governor: { test: (p) => p.roles.has('governor'), needs: 'a governor' },
  dsl: { test: (p) => p.roles.has('dsl'), needs: 'a designated safeguarding lead' },
  itLead: { test: (p) => p.roles.has('network_manager') || p.kind === 'staff', needs: 'a network manager or a member of staff' },
};

/** The school's active staff and governors: the only people a review's slots, answers and actions may name. */
export class ReviewPeople {
  /** Names of people a record mentions who are not the school's own staff or governors. */
  private readonly others = new Map<string, string>();

  private constructor(private readonly byId: Map<string, SchoolPerson>) {}

  static async load(db: Kysely<DB>, schoolId: string): Promise<ReviewPeople> {
    const [people, roles] = await Promise.all([
      db
        .selectFrom('people')
        .select(['id', 'kind', 'given_name', 'preferred_name', 'family_name'])
        .where('school_id', '=', schoolId)
        .where('status', '=', 'active')
        .where('kind', 'in', ['staff', 'governor'])
        .execute(),
      db
        .selectFrom('person_roles')
        .innerJoin('people', 'people.id', 'person_roles.person_id')
        .select(['person_roles.person_id', 'person_roles.role'])
        .where('people.school_id', '=', schoolId)
        .execute(),
    ]);
    const byId = new Map<string, SchoolPerson>(
      people.map((p) => [p.id, { id: p.id, name: personName(p), kind: p.kind, roles: new Set<string>() }]),
    );
    for (const r of roles) byId.get(r.person_id)?.roles.add(r.role);
    return new ReviewPeople(byId);
  }

  /**
   * Also names people a record mentions who are not among the school's current staff and
   * governors: a trust administrator from another of the trust's schools who signed or ran
   * the checks, and anyone named who has since left. A record, once written, keeps its names.
   */
  async alsoNaming(db: Kysely<DB>, ids: readonly (string | null)[]): Promise<this> {
    const unknown = [...new Set(ids.filter((id): id is string => id !== null && !this.byId.has(id)))];
    if (unknown.length === 0) return this;
    const rows = await db
      .selectFrom('people')
      .select(['id', 'given_name', 'preferred_name', 'family_name'])
      .where('id', 'in', unknown)
      .execute();
    for (const p of rows) this.others.set(p.id, personName(p));
    return this;
  }

  /** A name for a stored id: the school's people, and those passed to alsoNaming. */
  name(id: string | null): string | null {
    return id === null ? null : (this.byId.get(id)?.name ?? this.others.get(id) ?? null);
  }

  ref(id: string | null): PersonRef | null {
    const name = this.name(id);
    return id === null || name === null ? null : { id, name };
  }

  /** Throws a 400 naming the field unless the person is one of the school's staff or governors. */
  require(id: string, field: string): SchoolPerson {
    const person = this.byId.get(id);
    if (!person) throw new AppError('validation_failed', `${field}: no member of staff or governor of this school has the id ${id}.`);
    return person;
  }

  requireFor(slot: ReviewSlot, id: string): void {
    const person = this.require(id, SLOT_LABELS[slot]);
    if (!FITS[slot].test(person))
      throw new AppError('validation_failed', `${SLOT_LABELS[slot]}: ${person.name} is not ${FITS[slot].needs}.`);
  }

  candidates(): ReviewCandidates {
    const everyone = [...this.byId.values()].sort((a, b) => a.name.localeCompare(b.name));
    const refs = (list: SchoolPerson[]) => list.map(({ id, name }) => ({ id, name }));
    const out = { anyone: refs(everyone) } as ReviewCandidates;
    for (const slot of REVIEW_SLOTS) out[slot] = refs(everyone.filter(FITS[slot].test));
    return out;
  }
}
