import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pingDatabase } from '../../data/repositories/health.js';
import { AppError } from '../../domain/errors.js';
import type { Deps } from '../../services/context.js';
import { errorBodySchema } from '../errors.js';

export function healthRoutes(deps: Deps, state: { shuttingDown: boolean }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/healthz', {
      config: { public: true },
      schema: { tags: ['health'], summary: 'The process is alive', response: { 200: z.object({ status: z.literal('ok') }) } },
      handler: async () => ({ status: 'ok' as const }),
    });
    app.get('/readyz', {
      config: { public: true },
      schema: {
        tags: ['health'],
        summary: 'The server can take traffic: the database answers and it is not shutting down',
        response: { 200: z.object({ status: z.literal('ready') }), 503: errorBodySchema },
      },
      handler: async () => {
        if (state.shuttingDown) throw new AppError('not_ready', 'The server is shutting down');
        if (!(await pingDatabase(deps.db))) throw new AppError('database_unavailable', 'The database does not answer');
        return { status: 'ready' as const };
      },
    });
  };
}
