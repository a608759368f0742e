import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../server/context.js';
import { actorOf } from '../../server/http.js';
import { loadIncidentFor } from '../access.js';
import { tooLarge, uploadBytes, uploadMeta } from './intake.js';
import { evidenceKey } from './key.js';
import { imageRefusal } from './refusal.js';
import { custodyView, type EvidenceStore, type EvidenceView, listEvidence, openEvidence, refusalFacts, uploadEvidence } from './service.js';

const tags = ['incidents'];
const Id = Type.String({ maxLength: 64 });
const IdParams = Type.Object({ id: Id });
const FileParams = Type.Object({ id: Id, evidenceId: Id });

/** `attachment`, with a plain-ASCII name for old clients and the exact name for the rest. */
function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

function sendFile(reply: FastifyReply, file: EvidenceView, bytes: Buffer) {
  return reply
    .header('content-type', file.mediaType)
    .header('content-disposition', contentDisposition(file.filename))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'no-store')
    .header('x-evidence-sha256', file.sha256)
    .send(bytes);
}

/**
 * Evidence files, encrypted at rest, with their chain of custody; mounted at /api/incidents.
 * Every route loads the incident through loadIncidentFor (authorised on the record, audited)
 * and then checks `incident.evidence` on it. Views and exports go into the file's custody chain.
 */
export function incidentEvidenceRoutes(ctx: AppContext): FastifyPluginAsync {
  const limits = ctx.config.evidence;
  const store: EvidenceStore = { db: ctx.db, dataDir: ctx.config.dataDir, key: evidenceKey(limits.key, ctx.secretKey) };

  const plugin: FastifyPluginAsyncTypebox = async (app) => {
    const client = (request: FastifyRequest) => ({ ip: request.ip ?? null });
    /**
     * The incident, if the actor may handle its evidence. Adding evidence changes the incident,
     * so it needs `incident.respond` (refused on an archived incident); reading evidence does
     * not, so it stays possible after archiving, e.g. for a police request years later.
     */
    const incidentFor = async (request: FastifyRequest, id: string, purpose: 'add' | 'read' = 'read') => {
      const actor = actorOf(request);
      // A reporter may read the incident but not its evidence: refused like any stranger, and audited.
      const purposeOf = purpose === 'add' ? 'change' : 'read';
      const incident = await loadIncidentFor(ctx.db, actor, id, 'incident.evidence', client(request), ctx.clock(), purposeOf);
      return { actor, incident };
    };

    // The upload takes the raw file as its body, so it lives in a child context whose only
    // parser keeps bytes as bytes: JSON stays JSON for every other route.
    const uploads: FastifyPluginAsyncTypebox = async (upload) => {
      upload.removeAllContentTypeParsers();
      upload.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: limits.maxBytes }, (_request, body, done) => done(null, body));
      upload.post(
        '/:id/evidence',
        {
          bodyLimit: limits.maxBytes,
          // The size is only known once the body is read; say the limit rather than "too large".
          errorHandler: (error: FastifyError) => {
            throw error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? tooLarge(limits.maxBytes) : error;
          },
          schema: {
            tags,
            summary: 'Add an evidence file: the raw bytes as the body, its media type as content-type',
            params: IdParams,
            headers: Type.Object({
              'x-filename': Type.Optional(Type.String({ maxLength: 2000, description: 'The file name, URI-encoded' })),
              'x-description': Type.Optional(Type.String({ maxLength: 20_000, description: 'What the file shows, URI-encoded' })),
            }),
          },
        },
        async (request, reply) => {
          const { actor, incident } = await incidentFor(request, request.params.id, 'add');
          const meta = uploadMeta(
            {
              contentType: request.headers['content-type'],
              filename: request.headers['x-filename'],
              description: request.headers['x-description'],
            },
            limits.mediaTypes,
          );
          const bytes = uploadBytes(request.body);
          const view = await uploadEvidence(store, actor, incident, { ...meta, bytes }, client(request), ctx.clock());
          reply.status(201);
          return view;
        },
      );
    };
    await app.register(uploads);

    app.get(
      '/:id/evidence',
      { schema: { tags, summary: "The incident's evidence files (audited)", params: IdParams } },
      async (request) => {
        const { actor, incident } = await incidentFor(request, request.params.id);
        return listEvidence(ctx.db, actor, incident, client(request), ctx.clock());
      },
    );

    app.get(
      '/:id/evidence/rules',
      {
        schema: { tags, summary: 'What this incident accepts as evidence: types, size, and whether images are refused', params: IdParams },
      },
      async (request) => {
        const { incident } = await incidentFor(request, request.params.id);
        return {
          maxBytes: limits.maxBytes,
          mediaTypes: limits.mediaTypes,
          archived: incident.archived_at !== null,
          imagesAndVideoRefused: imageRefusal(await refusalFacts(ctx.db, incident)),
        };
      },
    );

    app.get(
      '/:id/evidence/:evidenceId',
      {
        exposeHeadRoute: false,
        schema: { tags, summary: 'Download an evidence file (checked, audited, in the chain of custody)', params: FileParams },
      },
      async (request, reply) => {
        const { actor, incident } = await incidentFor(request, request.params.id);
        const opened = await openEvidence(store, actor, incident, request.params.evidenceId, 'view', client(request), ctx.clock());
        return sendFile(reply, opened.file, opened.bytes);
      },
    );

    app.get(
      '/:id/evidence/:evidenceId/export',
      {
        exposeHeadRoute: false,
        schema: {
          tags,
          summary: 'Export an evidence file for the police or a new school; the SHA-256 is in x-evidence-sha256',
          params: FileParams,
          querystring: Type.Object({ recipient: Type.Optional(Type.String({ maxLength: 200 })) }),
        },
      },
      async (request, reply) => {
        const { actor, incident } = await incidentFor(request, request.params.id);
        const recipient = request.query.recipient?.trim();
        const opened = await openEvidence(
          store,
          actor,
          incident,
          request.params.evidenceId,
          'export',
          client(request),
          ctx.clock(),
          recipient ? { recipient } : {},
        );
        return sendFile(reply, opened.file, opened.bytes);
      },
    );

    app.get(
      '/:id/evidence/:evidenceId/custody',
      { schema: { tags, summary: "An evidence file's chain of custody (audited)", params: FileParams } },
      async (request) => {
        const { actor, incident } = await incidentFor(request, request.params.id);
        return custodyView(ctx.db, actor, incident, request.params.evidenceId, client(request), ctx.clock());
      },
    );
  };
  return plugin as FastifyPluginAsync;
}
