import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../services/context.js';
import { createPolicy, deletePolicy, getPolicy, listPolicies, updatePolicy } from '../../services/configuration/policies.js';
import { actorOf } from '../auth.js';
import { policySchema, presentPolicy } from '../configuration-presenters.js';
import { errorResponses as errors } from '../errors.js';
import { accountIdParams, uuid } from '../schemas/common.js';
import { payloadSetFields, productField } from '../schemas/payload-sets.js';

// Policies (Enterprise): payload sets assigned to user groups, over their keys' profiles. Account administrators only.

const tags = ['policies'];
const policyParams = accountIdParams.extend({ policyId: uuid });
const policyAnswer = z.object({ policy: policySchema });

export function policiesRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/accounts/:accountId/policies', {
      schema: {
        tags,
        summary: "The account's policies, each with the user groups it is assigned to",
        params: accountIdParams,
        response: { 200: z.object({ items: z.array(policySchema) }), ...errors },
      },
      handler: async (req) => ({ items: (await listPolicies(deps, actorOf(req), req.params.accountId)).map(presentPolicy) }),
    });

    app.post('/accounts/:accountId/policies', {
      schema: {
        tags,
        summary: "Create a policy for one product whose license includes policies (feature_not_included otherwise); payloads as for a configuration profile (GET payload-types)",
        params: accountIdParams,
        body: z.strictObject({ ...payloadSetFields, product: productField }),
        response: { 201: policyAnswer, ...errors },
      },
      handler: async (req, reply) => reply.code(201).send({ policy: presentPolicy(await createPolicy(deps, actorOf(req), req.params.accountId, req.body)) }),
    });

    app.get('/accounts/:accountId/policies/:policyId', {
      schema: { tags, summary: 'A policy', params: policyParams, response: { 200: policyAnswer, ...errors } },
      handler: async (req) => ({ policy: presentPolicy(await getPolicy(deps, actorOf(req), req.params.accountId, req.params.policyId)) }),
    });

    app.put('/accounts/:accountId/policies/:policyId', {
      schema: {
        tags,
        summary: "Save a policy's name and payloads; a change to what it delivers is a new version, which its groups' installations get at their next check-in",
        params: policyParams,
        body: z.strictObject(payloadSetFields),
        response: { 200: policyAnswer, ...errors },
      },
      handler: async (req) => ({ policy: presentPolicy(await updatePolicy(deps, actorOf(req), req.params.accountId, req.params.policyId, req.body)) }),
    });

    app.delete('/accounts/:accountId/policies/:policyId', {
      schema: {
        tags,
        summary: 'Delete a policy: the groups it was assigned to keep their sublicenses and have no policy, so their installations run with their profile alone from their next check-in',
        params: policyParams,
        response: { 204: z.null(), ...errors },
      },
      handler: async (req, reply) => {
        await deletePolicy(deps, actorOf(req), req.params.accountId, req.params.policyId);
        return reply.code(204).send(null);
      },
    });
  };
}
