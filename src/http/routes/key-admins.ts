import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../services/context.js';
import { grantKeyAdmin, listKeyAdmins, revokeKeyAdmin } from '../../services/sublicenses/key-admins.js';
import { actorOf } from '../auth.js';
import { errorResponses as errors } from '../errors.js';
import { keyParams, okSchema, uuid } from '../schemas/common.js';

// The License Administrators of a key: regular members granted that key alone.

const keyAdminSchema = z.object({ userId: z.string(), email: z.string(), firstName: z.string(), lastName: z.string(), grantedAt: z.string() });

export function keyAdminsRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/accounts/:accountId/subscriptions/:subscriptionId/keys/:keyId/admins', {
      schema: { tags: ['license keys'], summary: "The key's License Administrators", params: keyParams, response: { 200: z.object({ items: z.array(keyAdminSchema) }), ...errors } },
      handler: async (req) => ({
        items: (await listKeyAdmins(deps, actorOf(req), req.params.accountId, req.params.keyId)).map((a) => ({
          userId: a.user_id,
          email: a.email,
          firstName: a.first_name,
          lastName: a.last_name,
          grantedAt: a.created_at.toISOString(),
        })),
      }),
    });

    app.put('/accounts/:accountId/subscriptions/:subscriptionId/keys/:keyId/admins/:userId', {
      schema: { tags: ['license keys'], summary: 'Make a Regular Member a License Administrator of this key', params: keyParams.extend({ userId: uuid }), response: { 200: okSchema, ...errors } },
      handler: async (req) => {
        await grantKeyAdmin(deps, actorOf(req), req.params.accountId, req.params.keyId, req.params.userId);
        return { ok: true as const };
      },
    });

    app.delete('/accounts/:accountId/subscriptions/:subscriptionId/keys/:keyId/admins/:userId', {
      schema: { tags: ['license keys'], summary: 'Take a key away from a License Administrator', params: keyParams.extend({ userId: uuid }), response: { 200: okSchema, ...errors } },
      handler: async (req) => {
        await revokeKeyAdmin(deps, actorOf(req), req.params.accountId, req.params.keyId, req.params.userId);
        return { ok: true as const };
      },
    });
  };
}
