import type { Kysely } from 'kysely';
import type { DB } from '../../db/tables.js';

/*
 * A change that is not a filter setting can still change what the filter decides: an accepted
 * acceptable-use agreement lifts a hold. Such a change moves the policy version, which every
 * filter node polls for; this signal is the shortcut for the node the change was made on, so
 * the person's next request is decided on the new policy rather than after the next poll.
 */

type Reload = () => Promise<void>;

// Keyed by the store: the web app and the runtime of one process share it.
const listeners = new WeakMap<Kysely<DB>, Set<Reload>>();

/** Registers a runtime's reload for changes made through `db`; returns the function that unregisters it. */
export function onFilterReload(db: Kysely<DB>, reload: Reload): () => void {
  let set = listeners.get(db);
  if (!set) {
    set = new Set();
    listeners.set(db, set);
  }
  set.add(reload);
  return () => set.delete(reload);
}

/**
 * Reloads every runtime of this process that uses `db` and resolves once the new policies are
 * in force. Call it after the change has committed. A failed reload is the runtime's to log;
 * the poll tries again.
 *
 * @example
 *   await acceptAgreement(ctx.db, actor, input, client, now);
 *   await reloadFilterNow(ctx.db);
 */
export async function reloadFilterNow(db: Kysely<DB>): Promise<void> {
  const set = listeners.get(db);
  if (!set) return;
  await Promise.all([...set].map((reload) => reload().catch(() => {})));
}
