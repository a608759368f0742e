import type { PersonKind } from '../../db/tables.js';
import { personName } from '../../directory/names.js';
import type { PersonRow } from './gather.js';

/** Put where a name belongs to more than one person, so no label points at the wrong one. */
export const AMBIGUOUS_NAME = '[name removed]';

const KIND_LABELS: Record<PersonKind, string> = {
  student: 'student',
  staff: 'member of staff',
  parent: 'parent or carer',
  governor: 'governor',
  guest: 'visitor',
  community: 'member of the community',
};

// Honorifics are not names: "Mrs" alone says nothing about who.
const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'sir']);
const MIN_NAME_LENGTH = 2;
// The subject's own names stay as written.
const KEEP = '\u0000keep';
// A directory name not (yet) met in the record: labelled the first time the text names them.
const LATER = '\u0001';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Person A … Person Z, then Person AA, Person AB … */
export function personLabel(index: number): string {
  let n = index;
  let letters = '';
  do {
    letters = String.fromCharCode(65 + (n % 26)) + letters;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return `Person ${letters}`;
}

/**
 * Redacts third parties for a subject-access export (UK GDPR Art. 15(4): the copy must not
 * adversely affect the rights of others). Everyone but the data subject gets a stable label
 * (Person A, Person B…) in the order they are first met, and their names are replaced by that
 * label inside free text too. A word that is the name of two people becomes "[name removed]".
 * Full names of anyone else in the school's directory are caught as well; their single first
 * names are not, since names like "Will" or "May" are also ordinary words.
 */
export class Redactor {
  private readonly labels = new Map<string, string>();
  private readonly names = new Map<string, string>();
  private pattern: RegExp | null = null;

  constructor(
    private readonly subject: PersonRow,
    private readonly people: ReadonlyMap<string, PersonRow>,
    directory: readonly PersonRow[] = [],
  ) {
    this.addNames(this.namesOf(subject), KEEP);
    for (const p of directory) {
      if (p.id === subject.id || people.has(p.id)) continue;
      this.directory.set(p.id, p);
      this.addNames([personName(p), `${p.given_name} ${p.family_name}`], `${LATER}${p.id}`);
    }
  }

  private readonly directory = new Map<string, PersonRow>();

  /** The subject's own name, or the stable label of anyone else (a person id or a free-text name). */
  label(key: string | null | undefined): string | null {
    if (!key) return null;
    if (key === this.subject.id) return personName(this.subject);
    let label = this.labels.get(key);
    if (!label) {
      label = personLabel(this.labels.size);
      this.labels.set(key, label);
      const person = this.people.get(key) ?? this.directory.get(key);
      this.addNames(person ? this.namesOf(person) : this.wordsOf(key), label);
    }
    return label;
  }

  /** How a reporter or author is shown: the subject by name, anyone else only by what they are. */
  kind(id: string | null | undefined, fallback: string): string {
    if (!id) return fallback;
    if (id === this.subject.id) return personName(this.subject);
    this.label(id);
    const person = this.people.get(id);
    return person ? KIND_LABELS[person.kind] : fallback;
  }

  /** Free text with every known third-party name replaced by its label. */
  text(value: string | null | undefined): string | null {
    if (value === null || value === undefined) return null;
    if (!this.pattern) {
      const alternatives = [...this.names.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
      if (alternatives.length === 0) return value;
      this.pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
    }
    return value.replace(this.pattern, (match) => {
      const label = this.names.get(match.toLocaleLowerCase('en-GB')) ?? AMBIGUOUS_NAME;
      if (label.startsWith(LATER)) return this.label(label.slice(LATER.length)) ?? AMBIGUOUS_NAME;
      return label === KEEP ? match : label;
    });
  }

  /** Labels every person the record names before any text is redacted, so all names are known. */
  prepare(keys: Iterable<string | null | undefined>): void {
    for (const key of keys) this.label(key);
  }

  private namesOf(p: PersonRow): string[] {
    const forms = [personName(p), `${p.given_name} ${p.family_name}`, p.given_name, p.family_name];
    if (p.preferred_name) forms.push(p.preferred_name);
    return [...forms, ...forms.flatMap((f) => f.split(/\s+/))];
  }

  private wordsOf(freeText: string): string[] {
    return [freeText, ...freeText.split(/[\s,.]+/)].filter((w) => !TITLES.has(w.toLowerCase()));
  }

  private addNames(forms: string[], label: string): void {
    this.pattern = null;
    for (const form of forms) {
      const key = form.trim().toLocaleLowerCase('en-GB');
      if (key.length < MIN_NAME_LENGTH || TITLES.has(key)) continue;
      const known = this.names.get(key);
      // Someone the record names wins over a directory name that was only a guess.
      const replaces = known === undefined || known === label || (known.startsWith(LATER) && !label.startsWith(LATER));
      this.names.set(key, replaces ? label : AMBIGUOUS_NAME);
    }
  }
}
