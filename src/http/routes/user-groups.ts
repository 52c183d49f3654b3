import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../services/context.js';
import { createUserGroup, deleteUserGroup, getUserGroup, listUserGroups, updateUserGroup } from '../../services/user-groups/user-groups.js';
import { actorOf } from '../auth.js';
import { presentUserGroup, userGroupSchema } from '../configuration-presenters.js';
import { errorResponses as errors } from '../errors.js';
import { accountIdParams, uuid } from '../schemas/common.js';

// User groups (Enterprise), each bound to its own sublicense, with an optional policy. Account administrators only.

const tags = ['user groups'];
const groupParams = accountIdParams.extend({ groupId: uuid });
const groupAnswer = z.object({ group: userGroupSchema });

// The same limits as a sublicense's name and quota (license-keys.ts): the group's are its sublicense's.
const name = z.string().trim().min(1, 'is required').max(200);
const quota = z.number().int().min(1).max(1_000_000);
const directoryGroup = z.string().trim().min(1).max(200).nullable().describe('the directory group (SSO/SCIM) whose users the group takes; null for none');

export function userGroupsRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/accounts/:accountId/user-groups', {
      schema: {
        tags,
        summary: "The account's user groups, each with its sublicense and policy",
        params: accountIdParams,
        querystring: z.strictObject({ subscriptionId: uuid.optional().describe("Only this subscription's groups") }),
        response: { 200: z.object({ items: z.array(userGroupSchema) }), ...errors },
      },
      handler: async (req) => ({ items: (await listUserGroups(deps, actorOf(req), req.params.accountId, req.query.subscriptionId)).map(presentUserGroup) }),
    });

    app.post('/accounts/:accountId/user-groups', {
      schema: {
        tags,
        summary:
          "Create a user group in a subscription whose product includes user groups (feature_not_included otherwise): with a new sublicense (name, quota, kind), taken from the subscription's seats by the sublicense rules (quota_exceeds_pool when they cannot give it), or bound to an existing sublicense of the subscription (keyId; name renames it)",
        params: accountIdParams,
        body: z.strictObject({
          subscriptionId: uuid,
          name: name.optional().describe("the group's and its sublicense's name; required for a new sublicense, and with keyId left out the group takes the key's"),
          quota: quota.optional().describe('the new sublicense’s quota; not with keyId'),
          kind: z.enum(['dynamic', 'reserved']).optional().describe('the new sublicense’s kind: reserved (the default) fences its seats off the main pool, dynamic shares it; not with keyId'),
          itemId: uuid.optional().describe('the product of the new sublicense, needed only when the subscription has several products with user groups'),
          keyId: uuid.optional().describe('an existing sublicense of the subscription, not bound to another group, instead of a new one'),
          policyId: uuid.nullable().optional().describe("a policy of the sublicense's product"),
          directoryGroup: directoryGroup.optional(),
        }),
        response: { 201: groupAnswer, ...errors },
      },
      handler: async (req, reply) => reply.code(201).send({ group: presentUserGroup(await createUserGroup(deps, actorOf(req), req.params.accountId, req.body)) }),
    });

    app.get('/accounts/:accountId/user-groups/:groupId', {
      schema: { tags, summary: 'A user group', params: groupParams, response: { 200: groupAnswer, ...errors } },
      handler: async (req) => ({ group: presentUserGroup(await getUserGroup(deps, actorOf(req), req.params.accountId, req.params.groupId)) }),
    });

    app.put('/accounts/:accountId/user-groups/:groupId', {
      schema: {
        tags,
        summary:
          "Save a group: its name (its sublicense's too), its quota (its sublicense's: one below what the key uses deactivates its least recently seen installations), its policy (null: none) and directory group (left out: kept); its installations get the new configuration at their next check-in",
        params: groupParams,
        body: z.strictObject({ name, quota, policyId: uuid.nullable(), directoryGroup: directoryGroup.optional() }),
        response: { 200: groupAnswer.extend({ deactivatedInstallations: z.number().int() }), ...errors },
      },
      handler: async (req) => {
        const { group, deactivated } = await updateUserGroup(deps, actorOf(req), req.params.accountId, req.params.groupId, req.body);
        return { group: presentUserGroup(group), deactivatedInstallations: deactivated };
      },
    });

    app.delete('/accounts/:accountId/user-groups/:groupId', {
      schema: {
        tags,
        summary: 'Delete a user group: its sublicense stays, with its installations, seats and profile; only the group’s policy no longer applies to them (from their next check-in)',
        params: groupParams,
        response: { 204: z.null(), ...errors },
      },
      handler: async (req, reply) => {
        await deleteUserGroup(deps, actorOf(req), req.params.accountId, req.params.groupId);
        return reply.code(204).send(null);
      },
    });
  };
}
