import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../services/context.js';
import { requestPasswordReset, resetPassword } from '../../services/users/passwords.js';
import { originOf } from '../auth.js';
import { errorResponses as errors } from '../errors.js';
import { email, okSchema, password, provenEmailSchema } from '../schemas/common.js';

// A forgotten password: the emailed link, and the new password set with it.

export function passwordResetsRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/password-resets', {
      config: { public: true },
      schema: {
        tags: ['users'],
        summary: 'Email a single-use password reset link (the answer is the same for unknown addresses)',
        body: z.strictObject({ email }),
        response: { 202: okSchema, ...errors },
      },
      handler: async (req, reply) => {
        await requestPasswordReset(deps, req.body.email, originOf(req));
        return reply.code(202).send({ ok: true as const });
      },
    });

    app.post('/password-resets/confirm', {
      config: { public: true },
      schema: {
        tags: ['users'],
        summary: 'Set a new password with the emailed token; every session ends',
        body: z.strictObject({ token: z.string().min(10).max(200), password }),
        response: { 200: provenEmailSchema, ...errors },
      },
      handler: async (req) => ({ ok: true as const, ...(await resetPassword(deps, req.body, originOf(req))) }),
    });
  };
}
