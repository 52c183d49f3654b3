import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { normalizeDomain } from '../../domain/sso.js';
import type { Deps } from '../../services/context.js';
import { getProviderSettings, removeProviderSettings, saveProviderSettings, setSingleSignOn } from '../../services/sso/identity-provider-settings.js';
import { startTestSignIn } from '../../services/sso/sign-in-flows.js';
import { listUserSeats, revokeUserSeat } from '../../services/sso/user-seats.js';
import { actorOf } from '../auth.js';
import { errorResponses as errors } from '../errors.js';
import { accountIdParams, encodeCursor, pageQuery, uuid } from '../schemas/common.js';
import { cursorParam } from '../schemas/paging.js';

// Single sign-on of a business account: its identity provider, and the seats its people hold.

const tags = ['single sign-on'];

const printable = (max: number) => z.string().trim().min(1, 'is required').max(max).regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');
const domain = z
  .string()
  .max(253)
  .transform((text, ctx) => normalizeDomain(text) ?? (ctx.addIssue({ code: 'custom', message: 'must be a domain such as example.com' }), z.NEVER));
const issuer = z
  .string()
  .trim()
  .max(500)
  .regex(/^[^\s\p{Cc}]*$/u, 'must not contain spaces or control characters')
  .pipe(z.url({ protocol: /^https?$/, error: 'must be an https:// URL' }))
  .describe("The provider's issuer: its discovery document is at <issuer>/.well-known/openid-configuration");

const providerBody = z.strictObject({
  issuer,
  clientId: printable(500),
  clientSecret: printable(2000).optional().describe('Write-only: required the first time; left out, the stored secret stays'),
  allowedDomains: z
    .array(domain)
    .min(1, 'needs at least one domain')
    .max(50)
    .transform((d) => [...new Set(d)].sort())
    .describe('Email domains whose people may activate; each domain belongs to one account'),
  groupsClaim: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.:/-]{1,100}$/, 'must be a claim name such as groups')
    .nullable()
    .default(null)
    .describe('The ID token claim that carries the person’s groups (groups on Entra ID, Okta and most others)'),
  inactivityDays: z.number().int().min(1).max(3650).nullable().default(null).describe('Revoke the seat of a person who has not used the product for this many days; null: never'),
});

export const providerSchema = z
  .object({
    issuer: z.string(),
    clientId: z.string(),
    clientSecretSet: z.literal(true),
    allowedDomains: z.array(z.string()),
    groupsClaim: z.string().nullable(),
    inactivityDays: z.number().int().nullable(),
    enabled: z.boolean(),
    version: z.number().int(),
    test: z.object({ at: z.string(), current: z.boolean(), claims: z.record(z.string(), z.unknown()) }).nullable(),
    redirectUri: z.string().describe('Register this as the redirect URI at the provider'),
    deviceVerificationUri: z.string(),
  })
  .meta({ id: 'IdentityProvider' });

const userSeatSchema = z
  .object({
    id: z.string(),
    user: z.object({ id: z.string(), userName: z.string(), email: z.string().nullable(), displayName: z.string().nullable(), active: z.boolean() }),
    product: z.string(),
    subscriptionId: z.string(),
    takenAt: z.string(),
    machines: z.number().int(),
    lastUsedAt: z.string().nullable(),
  })
  .meta({ id: 'UserSeat' });

const seatCursor = cursorParam(z.object({ takenAt: z.iso.datetime(), id: uuid }));

export function ssoRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    const base = '/accounts/:accountId/sso';

    app.get(base, {
      schema: { tags, summary: "The account's identity provider; null when none is configured", params: accountIdParams, response: { 200: z.object({ provider: providerSchema.nullable() }), ...errors } },
      handler: async (req) => ({ provider: await getProviderSettings(deps, actorOf(req), req.params.accountId) }),
    });

    app.put(base, {
      schema: {
        tags,
        summary: 'Configure the identity provider (discovered from its issuer); a change to how it connects switches single sign-on off until a new test sign-in',
        params: accountIdParams,
        body: providerBody,
        response: { 200: providerSchema, ...errors },
      },
      handler: async (req) => saveProviderSettings(deps, actorOf(req), req.params.accountId, req.body),
    });

    app.delete(base, {
      schema: { tags, summary: 'Remove the identity provider: nobody signs in with it any more', params: accountIdParams, response: { 204: z.null(), ...errors } },
      handler: async (req, reply) => {
        await removeProviderSettings(deps, actorOf(req), req.params.accountId);
        return reply.code(204).send(null);
      },
    });

    app.post(`${base}/test`, {
      schema: { tags, summary: 'Start a test sign-in: open the URL, sign in at the provider, and come back to the result', params: accountIdParams, response: { 201: z.object({ url: z.string() }), ...errors } },
      handler: async (req, reply) => reply.code(201).send(await startTestSignIn(deps, actorOf(req), req.params.accountId)),
    });

    app.put(`${base}/enabled`, {
      schema: {
        tags,
        summary: 'Switch single sign-on on (once a test sign-in passed with the current settings) or off',
        params: accountIdParams,
        body: z.strictObject({ enabled: z.boolean() }),
        response: { 200: providerSchema, ...errors },
      },
      handler: async (req) => setSingleSignOn(deps, actorOf(req), req.params.accountId, req.body.enabled),
    });

    app.get('/accounts/:accountId/user-seats', {
      schema: {
        tags,
        summary: 'The seats people hold by signing in: who, which product, how many machines, last use',
        params: accountIdParams,
        querystring: z.strictObject({ limit: pageQuery.limit, cursor: seatCursor }),
        response: { 200: z.object({ items: z.array(userSeatSchema), nextCursor: z.string().nullable() }), ...errors },
      },
      handler: async (req) => {
        const page = await listUserSeats(deps, actorOf(req), req.params.accountId, { limit: req.query.limit, cursor: req.query.cursor });
        return {
          items: page.items.map((s) => ({
            id: s.id,
            user: { id: s.directory_user_id, userName: s.user_name, email: s.email, displayName: s.display_name, active: s.user_active },
            product: s.product_code,
            subscriptionId: s.subscription_id,
            takenAt: s.taken_at.toISOString(),
            machines: s.machines,
            lastUsedAt: s.last_used_at?.toISOString() ?? null,
          })),
          nextCursor: page.next === null ? null : encodeCursor(page.next),
        };
      },
    });

    app.delete('/accounts/:accountId/user-seats/:seatId', {
      schema: {
        tags,
        summary: "Take a person's seat back: free at once, their machines deactivated at their next check-in",
        params: accountIdParams.extend({ seatId: uuid }),
        response: { 200: z.object({ installations: z.number().int().describe('machines told to deactivate') }), ...errors },
      },
      handler: async (req) => revokeUserSeat(deps, actorOf(req), req.params.accountId, req.params.seatId),
    });
  };
}
