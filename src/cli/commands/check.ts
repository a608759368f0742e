import type { Command } from 'commander';
import { categoryLabel } from '../../filter/categories.js';
import { categoriesOf, compileLists, compilePolicy, decide, normaliseTarget } from '../../filter/engine/index.js';
import { openHostsOf } from '../../filter/runtime/runtime.js';
import { loadLists } from '../../filter/lists/index.js';
import { loadFilterPolicy } from '../../filter/policy/load.js';
import { personName } from '../../filter/policy/rows.js';
import { AppError } from '../../errors/errors.js';
import type { AppContext } from '../../server/context.js';
import { withContext } from '../context.js';

export interface CheckResult {
  action: 'allow' | 'block' | 'warn';
  category: string | null;
  rule: string;
  detail: string;
  policyVersion: number;
  host: string;
  url: string | null;
  at: string;
  profile: { id: string; name: string };
  person: { id: string; name: string; username: string };
  /** Every category the site is listed in, not only the one that decided. */
  categories: string[];
}

function parseAt(text: string | undefined): Date {
  if (text === undefined) return new Date();
  const at = new Date(text);
  if (Number.isNaN(at.getTime())) {
    throw new AppError('validation_failed', `--at "${text}" is not a date and time; use ISO 8601, e.g. 2026-11-24T12:30:00Z`);
  }
  return at;
}

/**
 * Explains how the filter treats a URL for a person at a time, from the lists and the policy in
 * the store (the same compile the running filter does, so the answers agree).
 *
 * @example
 *   await checkUrl(ctx, 'bet365.com', 'demo.student10', new Date('2026-11-24T10:00:00Z'));
 */
export async function checkUrl(ctx: AppContext, url: string, username: string, at: Date): Promise<CheckResult> {
  const target = normaliseTarget(url);
  if (!target) throw new AppError('filter.invalid_target', `"${url}" is not a web address or host name`);
  const person = await ctx.db
    .selectFrom('accounts')
    .innerJoin('people', 'people.id', 'accounts.person_id')
    .select(['people.id', 'people.school_id', 'people.given_name', 'people.preferred_name', 'people.family_name', 'accounts.username'])
    .where('accounts.username', '=', username.trim().toLowerCase())
    .executeTakeFirst();
  if (!person) throw new AppError('not_found', `no account with the username "${username}"`);
  const loaded = await loadLists(ctx.db);
  const lists = compileLists(loaded.categories, loaded.locked);
  const policy = await loadFilterPolicy(ctx.db, person.school_id, at);
  const decision = decide(compilePolicy(policy, lists, { openHosts: openHostsOf(ctx.config) }), {
    clientAddress: '',
    personId: person.id,
    target: url,
    at,
  });
  const profile = policy.profiles.find((p) => p.id === decision.profileId);
  return {
    action: decision.action,
    category: decision.category,
    rule: decision.rule,
    detail: decision.detail,
    policyVersion: decision.policyVersion,
    host: decision.host,
    url: decision.url,
    at: at.toISOString(),
    profile: { id: decision.profileId, name: profile?.name ?? '' },
    person: { id: person.id, name: personName(person), username: person.username },
    categories: categoriesOf(lists, target.host, target.url),
  };
}

function explain(r: CheckResult): string {
  const verdict = { allow: 'ALLOWED', block: 'BLOCKED', warn: 'ALLOWED AFTER A WARNING' }[r.action];
  const label = (c: string) => `${categoryLabel(c as Parameters<typeof categoryLabel>[0])} (${c})`;
  return [
    `${verdict}: ${r.url ?? r.host}`,
    `  for       ${r.person.name} (${r.person.username}), profile "${r.profile.name}"`,
    `  at        ${r.at}`,
    `  category  ${r.category ? label(r.category) : 'none'}`,
    `  rule      ${r.rule}`,
    `  because   ${r.detail}`,
    `  policy    version ${r.policyVersion}`,
    `  listed in ${r.categories.length ? r.categories.map(label).join(', ') : 'no category'}`,
  ].join('\n');
}

export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description("Explain the filter's decision for a URL or host as a person at a time")
    .argument('<url>', 'a URL or host name, e.g. https://www.example.com/page or example.com')
    .requiredOption('--user <username>', 'the person to decide for, by their Tutela username')
    .option('--at <iso-time>', 'the moment to decide at (ISO 8601); default now')
    .option('--json', 'print one JSON object instead of the explanation')
    .action(async (url: string, options: { user: string; at?: string; json?: boolean }) => {
      const at = parseAt(options.at);
      const result = await withContext((ctx) => checkUrl(ctx, url, options.user, at));
      console.log(options.json ? JSON.stringify(result) : explain(result));
    });
}
