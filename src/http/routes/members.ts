import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../services/context.js';
import { leaveAccount } from '../../services/members/leave-account.js';
import { getAccountMember, listAccountMembers } from '../../services/members/list-members.js';
import { blockMember, removeMember, unblockMember, updateMember } from '../../services/members/manage-members.js';
import { actorOf } from '../auth.js';
import { errorResponses as errors } from '../errors.js';
import { memberSchema, presentMember } from '../presenters.js';
import { accountIdParams, encodeCursor, okSchema, pageQuery, uuid } from '../schemas/common.js';
import { cursorParam } from '../schemas/paging.js';

const role = z.enum(['admin', 'member']);
const memberParams = accountIdParams.extend({ userId: uuid });
const memberBody = z.object({ member: memberSchema });

export function membersRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/accounts/:accountId/members', {
      schema: {
        tags: ['members'],
        summary: "The account's members by email (administrators)",
        params: accountIdParams,
        querystring: z.strictObject({
          role: role.optional(),
          status: z.enum(['active', 'blocked']).optional(),
          search: z.string().trim().min(1).max(100).optional().meta({ description: 'Part of an email or name' }),
          limit: pageQuery.limit,
          cursor: cursorParam(z.object({ email: z.string(), userId: uuid })),
        }),
        response: { 200: z.object({ items: z.array(memberSchema), nextCursor: z.string().nullable() }), ...errors },
      },
      handler: async (req) => {
        const { cursor, ...filter } = req.query;
        const page = await listAccountMembers(deps, actorOf(req), req.params.accountId, { ...filter, after: cursor });
        return { items: page.items.map(presentMember), nextCursor: page.next === null ? null : encodeCursor(page.next) };
      },
    });

    app.get('/accounts/:accountId/members/:userId', {
      schema: { tags: ['members'], summary: 'One member (administrators)', params: memberParams, response: { 200: memberBody, ...errors } },
      handler: async (req) => ({ member: presentMember(await getAccountMember(deps, actorOf(req), req.params.accountId, req.params.userId)) }),
    });

    app.patch('/accounts/:accountId/members/:userId', {
      schema: {
        tags: ['members'],
        summary: 'Promote or demote a member, or edit the notes on them (administrators); takes effect at once',
        params: memberParams,
        body: z
          .strictObject({ role: role.optional(), notes: z.string().max(2000).optional() })
          .refine((b) => b.role !== undefined || b.notes !== undefined, 'name a role or notes to change'),
        response: { 200: memberBody, ...errors },
      },
      handler: async (req) => ({
        member: presentMember(await updateMember(deps, actorOf(req), req.params.accountId, req.params.userId, req.body)),
      }),
    });

    app.post('/accounts/:accountId/members/:userId/block', {
      schema: {
        tags: ['members'],
        summary: "Block a member: their access ends at once in every session, the membership stays (administrators)",
        params: memberParams,
        response: { 200: memberBody, ...errors },
      },
      handler: async (req) => ({ member: presentMember(await blockMember(deps, actorOf(req), req.params.accountId, req.params.userId)) }),
    });

    app.post('/accounts/:accountId/members/:userId/unblock', {
      schema: { tags: ['members'], summary: "Restore a blocked member's access (administrators)", params: memberParams, response: { 200: memberBody, ...errors } },
      handler: async (req) => ({ member: presentMember(await unblockMember(deps, actorOf(req), req.params.accountId, req.params.userId)) }),
    });

    app.delete('/accounts/:accountId/members/:userId', {
      schema: { tags: ['members'], summary: 'Remove a member from the account (administrators)', params: memberParams, response: { 200: okSchema, ...errors } },
      handler: async (req) => {
        await removeMember(deps, actorOf(req), req.params.accountId, req.params.userId);
        return { ok: true as const };
      },
    });

    app.post('/accounts/:accountId/leave', {
      schema: {
        tags: ['members'],
        summary: 'Leave the account (any member, a blocked one too; not its only active administrator)',
        params: accountIdParams,
        response: { 200: okSchema, ...errors },
      },
      handler: async (req) => {
        await leaveAccount(deps, actorOf(req), req.params.accountId);
        return { ok: true as const };
      },
    });
  };
}
