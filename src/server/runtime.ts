import { loadSecretKey } from '../auth/secrets.js';
import type { Config } from '../config/config.js';
import { migrateToLatest, openStore } from '../db/database.js';
import type { AppContext } from './context.js';

/** Opens the store, brings its schema up to date and loads the secret key. */
export async function openContext(config: Config, options: { migrate?: boolean } = {}): Promise<AppContext> {
  const store = openStore(config);
  if (options.migrate !== false) await migrateToLatest(store);
  return { config, store, db: store.db, secretKey: loadSecretKey(config.secretKey, config.dataDir), clock: () => new Date() };
}
