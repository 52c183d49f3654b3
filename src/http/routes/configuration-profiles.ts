import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../services/context.js';
import {
  assignKeyProfile,
  createProfile,
  deleteProfileOfAccount,
  getProfile,
  listPayloadTypes,
  listProfiles,
  updateProfileOfAccount,
} from '../../services/configuration/profiles.js';
import { actorOf } from '../auth.js';
import { presentPayloadTypes, presentProfile, productPayloadTypesSchema, profileSchema } from '../configuration-presenters.js';
import { errorResponses as errors } from '../errors.js';
import { accountIdParams, keyParams, uuid } from '../schemas/common.js';
import { payloadSetFields, productField } from '../schemas/payload-sets.js';

// Configuration profiles and their assignment to license keys: account administrators only.

const tags = ['configuration profiles'];
const profileParams = accountIdParams.extend({ profileId: uuid });

export function configurationProfilesRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/accounts/:accountId/payload-types', {
      schema: {
        tags,
        summary: "The payload types of the products the account's subscriptions hold (those that take configuration profiles)",
        params: accountIdParams,
        response: { 200: z.object({ items: z.array(productPayloadTypesSchema) }), ...errors },
      },
      handler: async (req) => ({ items: (await listPayloadTypes(deps, actorOf(req), req.params.accountId)).map(presentPayloadTypes) }),
    });

    app.get('/accounts/:accountId/configuration-profiles', {
      schema: {
        tags,
        summary: "The account's configuration profiles, each with the keys it is assigned to (a key with none uses the built-in Default)",
        params: accountIdParams,
        response: { 200: z.object({ items: z.array(profileSchema) }), ...errors },
      },
      handler: async (req) => ({ items: (await listProfiles(deps, actorOf(req), req.params.accountId)).map(presentProfile) }),
    });

    app.post('/accounts/:accountId/configuration-profiles', {
      schema: {
        tags,
        summary: 'Create a configuration profile for one product',
        params: accountIdParams,
        body: z.strictObject({ ...payloadSetFields, product: productField }),
        response: { 201: z.object({ profile: profileSchema }), ...errors },
      },
      handler: async (req, reply) => reply.code(201).send({ profile: presentProfile(await createProfile(deps, actorOf(req), req.params.accountId, req.body)) }),
    });

    app.get('/accounts/:accountId/configuration-profiles/:profileId', {
      schema: { tags, summary: 'A configuration profile', params: profileParams, response: { 200: z.object({ profile: profileSchema }), ...errors } },
      handler: async (req) => ({ profile: presentProfile(await getProfile(deps, actorOf(req), req.params.accountId, req.params.profileId)) }),
    });

    app.put('/accounts/:accountId/configuration-profiles/:profileId', {
      schema: {
        tags,
        summary: "Save a profile's name and payloads; a change to what it delivers is a new version, which its installations get at their next check-in",
        params: profileParams,
        body: z.strictObject(payloadSetFields),
        response: { 200: z.object({ profile: profileSchema }), ...errors },
      },
      handler: async (req) => ({ profile: presentProfile(await updateProfileOfAccount(deps, actorOf(req), req.params.accountId, req.params.profileId, req.body)) }),
    });

    app.delete('/accounts/:accountId/configuration-profiles/:profileId', {
      schema: {
        tags,
        summary: 'Delete a profile; while keys use it, reassignTo names the profile of the same product they get instead, or default',
        params: profileParams,
        querystring: z.strictObject({
          reassignTo: z
            .string()
            .refine((v) => v === 'default' || uuid.safeParse(v).success, 'must be the id of a profile or default')
            .optional()
            .describe('the id of a profile of the same product, or default (the built-in Default)'),
        }),
        response: { 204: z.null(), ...errors },
      },
      handler: async (req, reply) => {
        const { reassignTo } = req.query;
        await deleteProfileOfAccount(deps, actorOf(req), req.params.accountId, req.params.profileId, reassignTo === 'default' ? null : reassignTo);
        return reply.code(204).send(null);
      },
    });

    app.put('/accounts/:accountId/subscriptions/:subscriptionId/keys/:keyId/configuration-profile', {
      schema: {
        tags,
        summary: "Assign a configuration profile of the key's product to a license key, primary or additional (null: the built-in Default)",
        params: keyParams,
        body: z.strictObject({ profileId: uuid.nullable() }),
        response: { 200: z.object({ profile: z.object({ id: z.string().nullable(), name: z.string() }).describe('id null: the built-in Default') }), ...errors },
      },
      handler: async (req) => {
        const { accountId, subscriptionId, keyId } = req.params;
        return { profile: await assignKeyProfile(deps, actorOf(req), accountId, subscriptionId, keyId, req.body.profileId) };
      },
    });
  };
}
