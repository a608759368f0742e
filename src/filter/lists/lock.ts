/**
 * Runs list writes of one database one after another within this process, so a scheduled
 * update and a manual import never interleave. Across processes, the import's transaction
 * checks that the lists it compared against are still the ones in force.
 */
const queues = new WeakMap<object, Promise<unknown>>();

export function serialised<T>(key: object, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const next = previous.then(task, task);
  queues.set(
    key,
    next.catch(() => {}),
  );
  return next;
}
