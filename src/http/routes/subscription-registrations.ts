import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../services/context.js';
import { registerKey } from '../../services/subscriptions/register-key.js';
import { actorOf } from '../auth.js';
import { errorResponses as errors } from '../errors.js';
import { presentSubscription, subscriptionSummarySchema } from '../presenters.js';
import { accountIdParams, companySchema } from '../schemas/common.js';

// Registering a subscription by its primary license key, into an account or a new business account.

const licenseKey = z.string().trim().min(1).max(64).describe('The primary license key from the order email, with or without dashes');

export function subscriptionRegistrationsRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/accounts/:accountId/subscriptions', {
      schema: {
        tags: ['subscriptions'],
        summary: 'Register a subscription into this account by its primary license key (administrators)',
        params: accountIdParams,
        body: z.strictObject({ licenseKey }),
        response: { 201: z.object({ subscription: subscriptionSummarySchema }), ...errors },
      },
      handler: async (req, reply) => {
        const subscription = await registerKey(deps, actorOf(req), req.body.licenseKey, { accountId: req.params.accountId });
        return reply.code(201).send({ subscription: presentSubscription(subscription, deps.clock.now()) });
      },
    });

    app.post('/subscriptions/registrations', {
      schema: {
        tags: ['subscriptions'],
        summary: 'Register a subscription into a new business account made from the company details',
        body: z.strictObject({ licenseKey, company: companySchema }),
        response: { 201: z.object({ subscription: subscriptionSummarySchema }), ...errors },
      },
      handler: async (req, reply) => {
        const subscription = await registerKey(deps, actorOf(req), req.body.licenseKey, { company: req.body.company });
        return reply.code(201).send({ subscription: presentSubscription(subscription, deps.clock.now()) });
      },
    });
  };
}
