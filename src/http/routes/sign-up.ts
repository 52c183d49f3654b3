import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../services/context.js';
import { confirmEmail, resendEmailConfirmation } from '../../services/users/email-verification.js';
import { signUp } from '../../services/users/sign-up.js';
import { actorOf, originOf } from '../auth.js';
import { errorResponses as errors } from '../errors.js';
import { presentUser, userSchema } from '../presenters.js';
import { companySchema, email, okSchema, password, personName, provenEmailSchema } from '../schemas/common.js';

// Signing up, and confirming the email address it was made with.

export function signUpRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/signup', {
      config: { public: true },
      schema: {
        tags: ['users'],
        summary: 'Create a personal account (and a business account when a company is given)',
        body: z.strictObject({
          email,
          firstName: personName,
          lastName: personName,
          password,
          company: companySchema.optional(),
        }),
        response: { 201: z.object({ user: userSchema, businessAccountId: z.string().nullable() }), ...errors },
      },
      handler: async (req, reply) => {
        const { user, businessAccountId } = await signUp(deps, req.body, originOf(req));
        return reply.code(201).send({ user: presentUser(user), businessAccountId });
      },
    });

    app.post('/email-verification', {
      config: { public: true },
      schema: { tags: ['users'], summary: 'Confirm an email address with the emailed token', body: z.strictObject({ token: z.string().min(10).max(200) }), response: { 200: provenEmailSchema, ...errors } },
      handler: async (req) => ({ ok: true as const, ...(await confirmEmail(deps, req.body.token)) }),
    });

    app.post('/email-verification/resend', {
      schema: { tags: ['users'], summary: 'Send the confirmation email again', response: { 200: okSchema, ...errors } },
      handler: async (req) => {
        await resendEmailConfirmation(deps, actorOf(req));
        return { ok: true as const };
      },
    });
  };
}
