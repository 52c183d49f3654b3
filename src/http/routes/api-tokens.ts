import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../services/context.js';
import { createApiToken, listApiTokens, revokeApiToken } from '../../services/users/api-tokens.js';
import { actorOf } from '../auth.js';
import { errorResponses as errors } from '../errors.js';
import { okSchema, uuid } from '../schemas/common.js';

// The signed-in user's API tokens, for integrations and the CLI.

export function apiTokensRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    const tokenSchema = z.object({ id: z.string(), name: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable() });
    const presentToken = (t: { id: string; name: string; created_at: Date; last_used_at: Date | null }) => ({
      id: t.id,
      name: t.name,
      createdAt: t.created_at.toISOString(),
      lastUsedAt: t.last_used_at?.toISOString() ?? null,
    });

    app.post('/me/api-tokens', {
      schema: {
        tags: ['users'],
        summary: 'Create an API token for integrations and the CLI (shown once)',
        body: z.strictObject({ name: z.string().trim().min(1).max(100) }),
        response: { 201: tokenSchema.extend({ token: z.string() }), ...errors },
      },
      handler: async (req, reply) => {
        const t = await createApiToken(deps, actorOf(req), req.body.name);
        return reply.code(201).send({ ...presentToken(t), token: t.token });
      },
    });

    app.get('/me/api-tokens', {
      schema: { tags: ['users'], summary: 'List your API tokens', response: { 200: z.object({ items: z.array(tokenSchema) }), ...errors } },
      handler: async (req) => ({ items: (await listApiTokens(deps, actorOf(req))).map(presentToken) }),
    });

    app.delete('/me/api-tokens/:tokenId', {
      schema: { tags: ['users'], summary: 'Revoke an API token', params: z.strictObject({ tokenId: uuid }), response: { 200: okSchema, ...errors } },
      handler: async (req) => {
        await revokeApiToken(deps, actorOf(req), req.params.tokenId);
        return { ok: true as const };
      },
    });
  };
}
