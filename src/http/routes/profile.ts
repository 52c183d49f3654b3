import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ACCOUNT_PERMISSIONS } from '../../domain/membership.js';
import type { Deps } from '../../services/context.js';
import { changePassword } from '../../services/users/passwords.js';
import { getProfile, listMyAccounts, updateProfile } from '../../services/users/profile.js';
import { actorOf } from '../auth.js';
import { errorResponses as errors } from '../errors.js';
import { presentUser, userSchema } from '../presenters.js';
import { okSchema, password, personName } from '../schemas/common.js';

// The signed-in user's own profile, accounts and password.

const myAccountSchema = z.object({
  id: z.string(),
  kind: z.enum(['personal', 'business']),
  name: z.string(),
  supportCode: z.string(),
  role: z.enum(['admin', 'member']),
  status: z.enum(['active', 'blocked']),
  permissions: z.array(z.enum(ACCOUNT_PERMISSIONS)).describe('What you may do in the account (a License Administrator on their granted keys only); none while blocked. The API decides each request by the same rule.'),
  features: z.array(z.string()).describe('What the products the account holds subscriptions of enable (catalog features such as vm_inventory): the portal shows the pages of these'),
});

export function profileRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/me', {
      schema: { tags: ['users'], summary: 'Your profile and the accounts you can switch between', response: { 200: z.object({ user: userSchema, accounts: z.array(myAccountSchema) }), ...errors } },
      handler: async (req) => {
        const actor = actorOf(req);
        const [user, accounts] = await Promise.all([getProfile(deps, actor), listMyAccounts(deps, actor)]);
        return {
          user: presentUser(user),
          accounts: accounts.map((a) => ({ id: a.id, kind: a.kind, name: a.name, supportCode: a.support_code, role: a.role, status: a.status, permissions: a.permissions, features: a.features })),
        };
      },
    });

    app.patch('/me', {
      schema: {
        tags: ['users'],
        summary: 'Edit your personal profile',
        body: z.strictObject({ firstName: personName.optional(), lastName: personName.optional() }),
        response: { 200: z.object({ user: userSchema }), ...errors },
      },
      handler: async (req) => ({ user: presentUser(await updateProfile(deps, actorOf(req), req.body)) }),
    });

    app.post('/me/password', {
      schema: {
        tags: ['users'],
        summary: 'Change your password; your other sessions end',
        body: z.strictObject({ currentPassword: z.string().min(1).max(200), newPassword: password }),
        response: { 200: okSchema, ...errors },
      },
      handler: async (req) => {
        await changePassword(deps, actorOf(req), req.body);
        return { ok: true as const };
      },
    });
  };
}
