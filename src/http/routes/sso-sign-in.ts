import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, errorStatus } from '../../domain/errors.js';
import { deviceAuthorizationRequestSchema, deviceAuthorizationSchema } from '../../domain/licensing-protocol.js';
import type { Deps } from '../../services/context.js';
import { beginDeviceSignIn, finishSignIn, startDeviceAuthorization } from '../../services/sso/sign-in-flows.js';
import { originOf } from '../auth.js';
import { errorResponses as errors } from '../errors.js';
import { deviceCodePage, signInResultPage } from '../sso-pages.js';

// Activation with a company account: the machine's side (an API call) and the person's (pages).

const installation = { installation: true } as const;
const page = { public: true } as const;
const userCodeQuery = z.object({ user_code: z.string().max(40).optional() });

/** A refusal on a page the person reads, with its status, instead of the API's JSON. */
function problemOf(err: unknown): { status: number; message: string } {
  if (err instanceof AppError) return { status: errorStatus[err.code], message: err.message };
  throw err;
}

export function ssoSignInRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/licensing/v1/sso/device-authorizations', {
      config: installation,
      schema: {
        tags: ['licensing'],
        summary: "Start activating with the company account (RFC 8628): show the person userCode and verificationUri, then activate with ssoDeviceCode until they have signed in",
        security: [],
        body: deviceAuthorizationRequestSchema,
        response: { 201: deviceAuthorizationSchema, ...errors },
      },
      handler: async (req, reply) => reply.code(201).send(await startDeviceAuthorization(deps, req.body, originOf(req))),
    });

    app.get('/sso/device', {
      config: page,
      schema: { hide: true, querystring: userCodeQuery },
      handler: async (req, reply) => reply.type('text/html; charset=utf-8').send(deviceCodePage(req.query.user_code?.trim() || null)),
    });

    app.get('/sso/device/start', {
      config: page,
      schema: { hide: true, querystring: userCodeQuery },
      handler: async (req, reply) => {
        try {
          return await reply.redirect(await beginDeviceSignIn(deps, req.query.user_code ?? '', originOf(req)), 303);
        } catch (err) {
          const problem = problemOf(err);
          return reply.code(problem.status).type('text/html; charset=utf-8').send(deviceCodePage(null, problem.message));
        }
      },
    });

    app.get('/sso/callback', {
      config: page,
      schema: { hide: true, querystring: z.record(z.string(), z.unknown()) },
      handler: async (req, reply) => {
        const send = (status: number, body: string) => reply.code(status).type('text/html; charset=utf-8').send(body);
        try {
          const outcome = await finishSignIn(deps, new URL(req.url, deps.config.publicUrl));
          if (outcome.purpose === 'test') {
            const who = outcome.identity.email ?? outcome.identity.subject;
            const groups = outcome.identity.groupsOverage
              ? 'The provider left the groups out (too many for the token): see the Entra ID notes in the README.'
              : `Groups: ${outcome.identity.groups?.join(', ') || 'none sent'}.`;
            const domain = outcome.domainAllowed ? 'The address is in the allowed domains.' : 'The address is NOT in the allowed domains: people like this one would be refused.';
            return send(200, signInResultPage('Test sign-in succeeded', [`The provider signed in ${who}.`, domain, groups], { href: `/accounts/${outcome.accountId}/sso`, text: 'Back to the single sign-on settings' }));
          }
          if (!outcome.approved) return send(errorStatus[outcome.code], signInResultPage('Activation refused', [outcome.message]));
          return send(200, signInResultPage('You are signed in', [`Signed in as ${outcome.email ?? 'your company account'}.`, 'Go back to your machine: it finishes activating by itself.']));
        } catch (err) {
          const problem = problemOf(err);
          return send(problem.status, signInResultPage('Sign-in failed', [problem.message]));
        }
      },
    });
  };
}
