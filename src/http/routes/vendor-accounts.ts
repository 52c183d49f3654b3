import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../services/context.js';
import { getAccountDetails } from '../../services/vendor/account-details.js';
import { setAccountOfflineActivation } from '../../services/vendor/offline-activation.js';
import { listAllAccounts } from '../../services/vendor/search-accounts.js';
import { actorOf } from '../auth.js';
import { errorResponses as errors } from '../errors.js';
import { accountSchema, memberSchema, presentAccount, presentMember } from '../presenters.js';
import { pageQuery, uuid } from '../schemas/common.js';
import { cursorParam } from '../schemas/paging.js';
import { config, cursorOf, idParams, page, search, tags } from '../schemas/vendor.js';
import { presentListedSubscription, vendorSubscriptionSchema } from '../vendor-presenters.js';

// Customer accounts as the vendor sees them: search, details, offline activation.

export function vendorAccountsRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/vendor/accounts', {
      config,
      schema: {
        tags,
        summary: "Search customer accounts by part of the name, the support code or part of a member's email",
        querystring: z.strictObject({ search: search.optional(), limit: pageQuery.limit, cursor: cursorParam(z.object({ name: z.string(), id: uuid })) }),
        response: { 200: page(accountSchema), ...errors },
      },
      handler: async (req) => {
        const { cursor, ...q } = req.query;
        const result = await listAllAccounts(deps, actorOf(req), { ...q, after: cursor });
        return { items: result.items.map(presentAccount), nextCursor: cursorOf(result.next) };
      },
    });

    app.get('/vendor/accounts/:id', {
      config,
      schema: {
        tags,
        summary: 'A customer account with its members and subscriptions (the first 200 of each)',
        params: idParams,
        response: {
          200: z.object({
            account: accountSchema,
            members: z.array(memberSchema),
            moreMembers: z.boolean(),
            subscriptions: z.array(vendorSubscriptionSchema),
            moreSubscriptions: z.boolean(),
          }),
          ...errors,
        },
      },
      handler: async (req) => {
        const d = await getAccountDetails(deps, actorOf(req), req.params.id);
        const now = deps.clock.now();
        return {
          account: presentAccount(d.account),
          members: d.members.map(presentMember),
          moreMembers: d.moreMembers,
          subscriptions: d.subscriptions.map((s) => presentListedSubscription(s, now)),
          moreSubscriptions: d.moreSubscriptions,
        };
      },
    });

    app.put('/vendor/accounts/:id/offline-activation', {
      config,
      schema: {
        tags,
        summary: "Turn offline activation on or off for a customer account (audited in the account's log)",
        params: idParams,
        body: z.strictObject({ enabled: z.boolean() }),
        response: { 200: z.object({ account: accountSchema }), ...errors },
      },
      handler: async (req) => ({ account: presentAccount(await setAccountOfflineActivation(deps, actorOf(req), req.params.id, req.body.enabled)) }),
    });
  };
}
