import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { type Action, authorize, ownSchool } from '../../access/policy.js';
import type { AppContext } from '../../server/context.js';
import { actorOf } from '../../server/http.js';
import { libraryToCsv } from '../keywords/csv.js';
import { type KeywordEntry, MONITOR_CATEGORIES, SEVERITIES } from '../keywords/types.js';
import { normalise, normalisedText } from '../matcher/index.js';
import { falsePositiveRates } from './false-positives.js';
import {
  addEntry,
  importLibraryCsv,
  type LibraryChange,
  latestVersion,
  libraryVersion,
  listVersions,
  MAX_EXCEPTIONS,
  MAX_LIBRARY_ENTRIES,
  MAX_NEAR_WORDS,
  MAX_PHRASE_LENGTH,
  removeEntry,
  restoreVersion,
  updateEntry,
} from './service.js';

const tags = ['monitoring'];
/** A library CSV of 20,000 entries is under 2 MB; the JSON string around it can double quotes and newlines. */
const MAX_CSV_CHARS = 2 * 1024 * 1024;
const IMPORT_BODY_LIMIT = MAX_CSV_CHARS * 2 + 64 * 1024;

const Phrase = Type.String({ minLength: 1, maxLength: MAX_PHRASE_LENGTH });
const EntryBody = Type.Object({
  id: Type.Optional(Type.String({ maxLength: 120 })),
  term: Phrase,
  category: Type.Union(MONITOR_CATEGORIES.map((c) => Type.Literal(c))),
  severity: Type.Union(SEVERITIES.map((s) => Type.Literal(s))),
  language: Type.String({ minLength: 2, maxLength: 35 }),
  wholeWord: Type.Optional(Type.Boolean()),
  near: Type.Optional(Type.Object({ phrase: Phrase, words: Type.Integer({ minimum: 1, maximum: MAX_NEAR_WORDS }) })),
  exceptions: Type.Optional(Type.Array(Phrase, { maxItems: MAX_EXCEPTIONS })),
});
const BaseVersion = Type.Integer({ minimum: 0 });
const EntryParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 120 }) });
/** Version numbers are stored as 32-bit integers; a larger one is a bad request, not a database error. */
const VersionParams = Type.Object({ version: Type.Integer({ minimum: 0, maximum: 2_147_483_647 }) });

/** The keyword library, mounted at /api/monitor/library: versions, edits, CSV import and export. */
export function libraryRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  /** The library is a school-wide thing: the actor's own school, checked against the rule. */
  const schoolOf = (request: FastifyRequest, action: Action) => {
    const actor = actorOf(request);
    authorize(actor, action, ownSchool(actor));
    return actor.schoolId;
  };
  const changeOf = (request: FastifyRequest): LibraryChange => {
    const schoolId = schoolOf(request, 'monitor.keywords.manage');
    const actor = actorOf(request);
    return { schoolId, actor: { accountId: actor.accountId, username: actor.username }, ip: request.ip ?? null, now: ctx.clock() };
  };

  return async (app) => {
    app.get(
      '/',
      {
        schema: {
          tags,
          summary: 'The keyword library in force, each entry with its false-positive rate',
          querystring: Type.Object({
            category: Type.Optional(Type.Union(MONITOR_CATEGORIES.map((c) => Type.Literal(c)))),
            language: Type.Optional(Type.String({ maxLength: 35 })),
            q: Type.Optional(Type.String({ maxLength: MAX_PHRASE_LENGTH })),
            offset: Type.Integer({ minimum: 0, default: 0 }),
            limit: Type.Integer({ minimum: 1, maximum: MAX_LIBRARY_ENTRIES, default: MAX_LIBRARY_ENTRIES }),
          }),
        },
      },
      async (request) => {
        const schoolId = schoolOf(request, 'monitor.keywords.read');
        const { category, language, q, offset, limit } = request.query;
        const [library, rates] = await Promise.all([
          latestVersion(ctx.db, schoolId),
          falsePositiveRates(ctx.db, schoolId, actorOf(request)),
        ]);
        const matchesText = textFilter(q);
        const chosen = library.entries.filter(
          (e) => (!category || e.category === category) && (!language || e.language === language) && matchesText(e),
        );
        return {
          version: library.version,
          createdAt: library.createdAt,
          createdBy: library.createdBy,
          summary: library.summary,
          entryCount: library.entryCount,
          languages: [...new Set(library.entries.map((e) => e.language))].sort(),
          total: chosen.length,
          entries: chosen.slice(offset, offset + limit).map((e) => {
            const rate = rates.get(e.id);
            return {
              ...e,
              alerts: rate?.alerts ?? 0,
              decided: rate?.resolved ?? 0,
              falsePositives: rate?.falsePositives ?? 0,
              falsePositiveRate: rate?.rate ?? null,
            };
          }),
        };
      },
    );

    app.get('/versions', { schema: { tags, summary: 'Every version of the library, newest first' } }, async (request) => {
      return listVersions(ctx.db, schoolOf(request, 'monitor.keywords.read'));
    });

    app.get(
      '/versions/:version',
      { schema: { tags, summary: 'One version of the library with its entries (0 is the built-in default)', params: VersionParams } },
      async (request) => libraryVersion(ctx.db, schoolOf(request, 'monitor.keywords.read'), request.params.version),
    );

    app.post(
      '/versions/:version/restore',
      {
        schema: {
          tags,
          summary: 'Make an earlier version the library in force again, as a new version',
          description: '409 `conflict` when `baseVersion` is not the newest version.',
          params: VersionParams,
          body: Type.Object({ baseVersion: BaseVersion }),
        },
      },
      async (request, reply) => {
        const version = await restoreVersion(ctx.db, changeOf(request), request.body.baseVersion, request.params.version);
        reply.status(201);
        return version;
      },
    );

    app.post(
      '/entries',
      {
        schema: {
          tags,
          summary: 'Add an entry (a new version)',
          description: '409 `conflict` when `baseVersion` is not the newest version; 422 `monitor.invalid_library` naming the problem.',
          body: Type.Object({ baseVersion: BaseVersion, entry: EntryBody }),
        },
      },
      async (request, reply) => {
        const entry = request.body.entry as KeywordEntry;
        const version = await addEntry(ctx.db, changeOf(request), request.body.baseVersion, entry);
        reply.status(201);
        return version;
      },
    );

    app.put(
      '/entries/:id',
      {
        schema: {
          tags,
          summary: 'Change an entry, keeping its id (a new version)',
          params: EntryParams,
          body: Type.Object({ baseVersion: BaseVersion, entry: EntryBody }),
        },
      },
      async (request) => updateEntry(ctx.db, changeOf(request), request.body.baseVersion, request.params.id, request.body.entry),
    );

    app.post(
      '/entries/:id/delete',
      {
        schema: {
          tags,
          summary: 'Remove an entry (a new version)',
          params: EntryParams,
          body: Type.Object({ baseVersion: BaseVersion }),
        },
      },
      async (request) => removeEntry(ctx.db, changeOf(request), request.body.baseVersion, request.params.id),
    );

    app.get(
      '/export.csv',
      { schema: { tags, summary: 'The library in force as CSV, to edit in a spreadsheet' } },
      async (request, reply) => {
        const library = await latestVersion(ctx.db, schoolOf(request, 'monitor.keywords.read'));
        reply.header('content-type', 'text/csv; charset=utf-8');
        reply.header('content-disposition', `attachment; filename="keyword-library-v${library.version}.csv"`);
        return libraryToCsv(library.entries);
      },
    );

    app.post(
      '/import',
      {
        bodyLimit: IMPORT_BODY_LIMIT,
        schema: {
          tags,
          summary: 'Import a library CSV, replacing the library or merging into it (or a dry run)',
          description:
            'All or nothing: any bad row is a 422 `monitor.invalid_library` with every row problem in `details.errors`, and nothing is stored.',
          body: Type.Object({
            baseVersion: BaseVersion,
            csv: Type.String({ minLength: 1, maxLength: MAX_CSV_CHARS }),
            mode: Type.Union([Type.Literal('replace'), Type.Literal('merge')]),
            dryRun: Type.Optional(Type.Boolean()),
            fileName: Type.Optional(Type.String({ maxLength: 255, pattern: '^[^\\u0000-\\u001f]*$' })),
          }),
        },
      },
      async (request) => {
        const { baseVersion, csv, mode, dryRun, fileName } = request.body;
        return importLibraryCsv(ctx.db, changeOf(request), { baseVersion, csv, mode, dryRun: dryRun ?? false, fileName });
      },
    );
  };
}

/** Search by the text a DSL types, and by the matcher's folding, so "k.m.s" finds "kms". */
function textFilter(q: string | undefined): (entry: KeywordEntry) => boolean {
  const wanted = q?.trim().toLowerCase() ?? '';
  if (wanted === '') return () => true;
  const folded = normalisedText(normalise(wanted)).trim();
  return (entry) => {
    if (entry.term.toLowerCase().includes(wanted)) return true;
    return folded !== '' && normalisedText(normalise(entry.term)).includes(folded);
  };
}
