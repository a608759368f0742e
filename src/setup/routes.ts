import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../server/context.js';
import { install, isInstalled } from './service.js';

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

export function setupRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/', { config: { auth: 'public' }, schema: { tags: ['setup'], summary: 'Whether first-run setup is needed' } }, async () => ({
      needed: !(await isInstalled(ctx.db)),
    }));

    app.post(
      '/',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['setup'],
          summary: 'Create the trust, the school and the first administrator (needs the setup token)',
          body: Type.Object({
            token: Text(100),
            trustName: Text(200),
            schoolName: Text(200),
            urn: Type.Optional(Type.String({ pattern: '^[0-9]{6,7}$' })),
            phase: Type.Union([Type.Literal('primary'), Type.Literal('secondary'), Type.Literal('all_through'), Type.Literal('special')]),
            admin: Type.Object({
              givenName: Text(100),
              familyName: Text(100),
              email: Type.Optional(Type.String({ format: 'email', maxLength: 200 })),
              username: Text(64),
              password: Text(1000),
            }),
          }),
        },
      },
      async (request, reply) => {
        const result = await install(ctx, request.body, request.ip);
        return reply.status(201).send({ ok: true, username: result.username });
      },
    );
  };
}
