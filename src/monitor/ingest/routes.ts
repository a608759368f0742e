import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { AppError } from '../../errors/errors.js';
import type { AppContext } from '../../server/context.js';
import type { MonitorServices } from '../runtime.js';
import { type CaptureSource, findCaptureSource, touchSource } from '../sources/service.js';
import { Attributor } from './attribute.js';
import { buildCaptureEvents, CaptureBody, MAX_CAPTURE_BODY_BYTES } from './capture.js';

/** `last_event_at` is for people glancing at the sources list: a write every few seconds is plenty. */
const TOUCH_EVERY_MS = 5_000;

const Accepted = Type.Object({
  accepted: Type.Integer({ description: 'Events committed; they are stored and will be scanned' }),
  unattributed: Type.Array(Type.Integer(), { description: 'Indices of events that could not be tied to a person' }),
});

/** The capture API, mounted at /api/monitor: text captures from other systems, with a key per source. */
export function captureRoutes(ctx: AppContext, monitor: MonitorServices): FastifyPluginAsync {
  const plugin: FastifyPluginAsyncTypebox = async (app) => {
    const attributor = new Attributor(ctx.db);
    const sources = new WeakMap<FastifyRequest, CaptureSource>();
    const touched = new Map<string, number>();

    const touch = async (request: FastifyRequest, source: CaptureSource, at: Date) => {
      const last = touched.get(source.id) ?? 0;
      if (at.getTime() - last < TOUCH_EVERY_MS && at.getTime() >= last) return;
      touched.set(source.id, at.getTime());
      try {
        await touchSource(ctx.db, source.id, at);
      } catch (err) {
        // The events are committed; a missed "last seen" time must not turn that into an error.
        request.log.error({ err }, 'could not record when a capture source last sent events');
      }
    };

    app.post(
      '/captures',
      {
        config: { auth: 'public' },
        bodyLimit: MAX_CAPTURE_BODY_BYTES,
        // The key is checked before the body is read, so a caller without one learns nothing about the body's shape.
        onRequest: async (request) => {
          const header = request.headers.authorization ?? '';
          const key = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
          const source = key && key.length <= 200 ? await findCaptureSource(ctx.db, key) : null;
          if (!source) throw new AppError('monitor.invalid_key', 'Send a valid capture key: Authorization: Bearer <key>.');
          sources.set(request, source);
        },
        schema: {
          tags: ['monitoring'],
          summary: 'Send captured text (e-mail, chat, documents, typed text, searches) to be stored and scanned',
          description:
            'Authenticate with `Authorization: Bearer <key>` (a key made under Monitoring → Sources). 1–1000 events and at most 1 MiB per request. ' +
            'The answer (202) comes only once every event is committed. 503 with Retry-After means the server is busy: send the same request again.',
          security: [],
          headers: Type.Object({ authorization: Type.Optional(Type.String()) }),
          body: CaptureBody,
          response: { 202: Accepted },
        },
      },
      async (request, reply) => {
        const source = sources.get(request);
        if (!source) throw new AppError('monitor.invalid_key', 'Send a valid capture key: Authorization: Bearer <key>.');
        const receivedAt = ctx.clock();
        const { events, unattributed } = await buildCaptureEvents(request.body, source, attributor, receivedAt);
        try {
          await monitor.intake.accept(events);
        } catch (error) {
          if (error instanceof AppError && error.id === 'monitor.busy') reply.header('retry-after', '1');
          throw error;
        }
        await touch(request, source, receivedAt);
        return reply.status(202).send({ accepted: events.length, unattributed });
      },
    );
  };
  return plugin as FastifyPluginAsync;
}
