import type { Kysely } from 'kysely';
import type { Config } from '../config/config.js';
import type { Store } from '../db/database.js';
import type { DB } from '../db/tables.js';

/** What every service needs, built once at start-up and passed down explicitly. */
export interface AppContext {
  config: Config;
  store: Store;
  db: Kysely<DB>;
  secretKey: Buffer;
  /** Injected so tests can move time (idle lock, lockout, expiry) without waiting. */
  clock: () => Date;
}
