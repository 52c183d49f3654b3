import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createBusinessAccount, getAccountProfile, updateBusinessProfile } from '../../services/accounts/business-accounts.js';
import type { Deps } from '../../services/context.js';
import { actorOf } from '../auth.js';
import { errorResponses as errors } from '../errors.js';
import { accountSchema, memberSchema, presentAccount, presentMember } from '../presenters.js';
import { accountIdParams, companyFields, companySchema } from '../schemas/common.js';

const profileSchema = z.object({
  account: accountSchema,
  membership: z.object({ role: z.enum(['admin', 'member']), status: z.enum(['active', 'blocked']) }),
  admins: z.array(memberSchema),
});

export function accountsRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/accounts', {
      schema: {
        tags: ['accounts'],
        summary: 'Create a business account; you become its Account Administrator',
        body: companySchema,
        response: { 201: z.object({ account: accountSchema }), ...errors },
      },
      handler: async (req, reply) => {
        const account = await createBusinessAccount(deps, actorOf(req), req.body);
        return reply.code(201).send({ account: presentAccount(account) });
      },
    });

    app.get('/accounts/:accountId', {
      schema: {
        tags: ['accounts'],
        summary: "An account's profile, your membership in it and its administrators",
        params: accountIdParams,
        response: { 200: profileSchema, ...errors },
      },
      handler: async (req) => {
        const { account, membership, admins } = await getAccountProfile(deps, actorOf(req), req.params.accountId);
        return {
          account: presentAccount(account),
          membership: { role: membership.role, status: membership.status },
          admins: admins.map(presentMember),
        };
      },
    });

    app.patch('/accounts/:accountId', {
      schema: {
        tags: ['accounts'],
        summary: "Edit a business account's company profile (administrators)",
        params: accountIdParams,
        body: z
          .strictObject({
            ...companyFields,
            state: companyFields.state,
          })
          .partial()
          .refine((b) => Object.keys(b).length > 0, 'name at least one field to change'),
        response: { 200: z.object({ account: accountSchema }), ...errors },
      },
      handler: async (req) => ({
        account: presentAccount(await updateBusinessProfile(deps, actorOf(req), req.params.accountId, req.body)),
      }),
    });
  };
}
