import type { Migration } from 'kysely';
import * as foundation from './20261124_0001_foundation.js';

/**
 * Every migration, in order. Listed by hand rather than read from the folder so that the
 * built program carries them wherever it is installed. Names are timestamps; never rename one.
 */
export const migrations: Record<string, Migration> = {
  '20261124_0001_foundation': foundation,
};
