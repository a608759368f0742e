import type { Kysely } from 'kysely';
import type { DB } from '../../db/tables.js';
import { DEFAULT_LIBRARY } from '../keywords/default-library.js';
import type { KeywordEntry } from '../keywords/types.js';

export interface LibraryVersion {
  /** 0 is the built-in default library, in force until the school first edits or imports. */
  version: number;
  entries: readonly KeywordEntry[];
}

/** The keyword library in force for a school: its newest stored version, or the default. */
export async function currentLibrary(db: Kysely<DB>, schoolId: string): Promise<LibraryVersion> {
  const row = await db
    .selectFrom('monitor_library_versions')
    .select(['version', 'entries'])
    .where('school_id', '=', schoolId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return { version: 0, entries: DEFAULT_LIBRARY };
  return { version: row.version, entries: JSON.parse(row.entries) as KeywordEntry[] };
}

/** The newest version number only: cheap enough to poll, so compiled libraries are rebuilt when it moves. */
export async function currentLibraryVersion(db: Kysely<DB>, schoolId: string): Promise<number> {
  const row = await db
    .selectFrom('monitor_library_versions')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('school_id', '=', schoolId)
    .executeTakeFirst();
  return Number(row?.version ?? 0);
}
