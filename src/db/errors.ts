/**
 * True when a write failed on a unique or primary-key constraint, on either database: the sign
 * of a race another writer won, which callers turn into a retry or a 409.
 */
export const isUniqueViolation = (error: unknown): boolean => {
  const code = (error as { code?: string } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
};
