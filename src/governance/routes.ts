import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { documentHtml } from '../export/html-document.js';
import { documentPdf } from '../export/pdf.js';
import type { AppContext } from '../server/context.js';
import { actorOf } from '../server/http.js';
import { reportDocument } from './print.js';
import { termlyReport } from './report.js';
import { TERM_ID_EXAMPLE } from './terms.js';

const tags = ['governance'];
// The service explains a malformed term; the schema only keeps out what no term could be.
const TermQuery = Type.Object({
  term: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 40,
      pattern: '^[^\\u0000]*$',
      description: `A school term such as ${TERM_ID_EXAMPLE}; the current term by default`,
    }),
  ),
});

/** The governors' termly report, mounted at /api/governance: on screen, and as HTML and PDF to download. */
export function governanceRoutes(ctx: AppContext): FastifyPluginAsync {
  const plugin: FastifyPluginAsyncTypebox = async (app) => {
    const report = (request: FastifyRequest, term: string | undefined, format: 'pdf' | 'html' | null) =>
      termlyReport(
        ctx.db,
        actorOf(request),
        term === undefined ? {} : { termId: term },
        { ip: request.ip ?? null, export: format },
        ctx.clock(),
      );
    const filename = (termId: string, extension: string) => `governors-termly-report-${termId}.${extension}`;

    app.get(
      '/report',
      {
        schema: {
          tags,
          summary: "The governors' termly report: anonymised figures for the term beside the previous term's",
          querystring: TermQuery,
        },
      },
      async (request) => report(request, request.query.term, null),
    );

    app.get(
      '/report.html',
      { schema: { tags, summary: "The governors' termly report as a standalone HTML page", querystring: TermQuery } },
      async (request, reply) => {
        const value = await report(request, request.query.term, 'html');
        reply.header('content-type', 'text/html; charset=utf-8');
        // Confidential to the board: kept out of the browser's cache, and the page runs nothing.
        reply.header('cache-control', 'no-store');
        reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
        reply.header('content-disposition', `inline; filename="${filename(value.term.id, 'html')}"`);
        return documentHtml(reportDocument(value));
      },
    );

    app.get(
      '/report.pdf',
      { schema: { tags, summary: "The governors' termly report as an A4 PDF", querystring: TermQuery } },
      async (request, reply) => {
        const value = await report(request, request.query.term, 'pdf');
        const pdf = await documentPdf(reportDocument(value), ctx.clock());
        reply.header('content-type', 'application/pdf');
        reply.header('cache-control', 'no-store');
        reply.header('content-disposition', `attachment; filename="${filename(value.term.id, 'pdf')}"`);
        return pdf;
      },
    );
  };
  return plugin as FastifyPluginAsync;
}
