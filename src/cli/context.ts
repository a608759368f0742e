import { loadConfig } from '../config/config.js';
import type { AppContext } from '../server/context.js';
import { openContext } from '../server/runtime.js';

/** Runs a command body with a migrated store, and always closes it. */
export async function withContext<T>(fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const ctx = await openContext(loadConfig(process.env));
  try {
    return await fn(ctx);
  } finally {
    await ctx.store.close();
  }
}

/** The one school of a single-school install, or the one named by --school (id or URN). */
export async function resolveSchool(ctx: AppContext, school: string | undefined): Promise<string> {
  const schools = await ctx.db.selectFrom('schools').select(['id', 'urn', 'name']).execute();
  if (schools.length === 0) throw new Error('there is no school yet: run `tutela start` and complete setup, or `tutela demo`');
  if (!school) {
    if (schools.length > 1)
      throw new Error(`several schools exist; name one with --school (${schools.map((s) => s.urn ?? s.id).join(', ')})`);
    return schools[0]!.id;
  }
  const match = schools.find((s) => s.id === school || s.urn === school);
  if (!match) throw new Error(`no school with id or URN ${school}`);
  return match.id;
}
