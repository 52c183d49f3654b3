import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../services/context.js';
import { registerAuth } from './auth.js';
import { handleError, handleNotFound, refuseUnstorableText } from './errors.js';
import { inputWords } from './input-words.js';
import { registerPortal } from './portal.js';
import { registerSecurityHeaders } from './security-headers.js';
import { accountsRoutes } from './routes/accounts.js';
import { apiTokensRoutes } from './routes/api-tokens.js';
import { auditRoutes } from './routes/audit.js';
import { configurationProfilesRoutes } from './routes/configuration-profiles.js';
import { policiesRoutes } from './routes/policies.js';
import { userGroupsRoutes } from './routes/user-groups.js';
import { devMailboxRoutes } from './routes/dev-mailbox.js';
import { healthRoutes } from './routes/health.js';
import { installInvitationsRoutes } from './routes/install-invitations.js';
import { installationsRoutes } from './routes/installations.js';
import { virtualMachinesRoutes } from './routes/virtual-machines.js';
import { invitationsRoutes } from './routes/invitations.js';
import { keyAdminsRoutes } from './routes/key-admins.js';
import { licenseKeysRoutes } from './routes/license-keys.js';
import { licensingRoutes } from './routes/licensing.js';
import { membersRoutes } from './routes/members.js';
import { offlineFilesRoutes } from './routes/offline-files.js';
import { passwordResetsRoutes } from './routes/password-resets.js';
import { profileRoutes } from './routes/profile.js';
import { sessionsRoutes } from './routes/sessions.js';
import { signUpRoutes } from './routes/sign-up.js';
import { subscriptionRegistrationsRoutes } from './routes/subscription-registrations.js';
import { subscriptionsRoutes } from './routes/subscriptions.js';
import { vendorAccountsRoutes } from './routes/vendor-accounts.js';
import { vendorCatalogRoutes } from './routes/vendor-catalog.js';
import { vendorOrdersRoutes } from './routes/vendor-orders.js';
import { vendorSubscriptionsRoutes } from './routes/vendor-subscriptions.js';
import { ssoRoutes } from './routes/sso.js';
import { ssoSignInRoutes } from './routes/sso-sign-in.js';
import { webhooksRoutes } from './routes/webhooks.js';

export interface AppState {
  shuttingDown: boolean;
}

/** Wires plugins, then routes, then the one error handler. */
export async function buildApp(deps: Deps, state: AppState = { shuttingDown: false }): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    bodyLimit: 1_048_576,
  }).withTypeProvider<ZodTypeProvider>();

  // Zod's configuration is the process's: every schema that words no message of its own reads alike.
  z.config({ customError: inputWords });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  registerSecurityHeaders(app, deps.config.publicUrl);
  // The built web portal, when there is one, answers the browser paths the API does not know.
  app.setNotFoundHandler(await registerPortal(app, handleNotFound));
  // An action with nothing to say (block, resend...) may still be sent as JSON with an empty body;
  // anything else goes through Fastify's own parser with its prototype-poisoning guards.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) =>
    (body as string).trim() === '' ? done(null, {}) : parseJson(req, body as string, done),
  );
  // Uploaded CSV files (member invitations) reach their route as the raw text.
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.addHook('preValidation', refuseUnstorableText);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Keyline API',
        version: '1.0.0',
        description:
          'Keyline, self-hosted software licensing. /api/v1: accounts and members, subscriptions, license keys and ' +
          'sublicenses, installations, invitations to install, offline files, the audit log, webhooks, and the vendor back office ' +
          '(/api/v1/vendor). /licensing/v1: the installation-facing protocol (activations, check-ins, status, ' +
          'deactivations, trials). Authenticate with the session cookie from POST /api/v1/sessions (and echo the CSRF ' +
          'token in x-csrf-token on unsafe methods) or with an API token as a Bearer token; installations use the ' +
          'installationToken their activation returned. Every error is {"error": {code, message, details, requestId}}.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'keyline_session' },
          apiToken: { type: 'http', scheme: 'bearer' },
          installationToken: { type: 'http', scheme: 'bearer', description: 'The installationToken an activation returned (licensing API)' },
        },
      },
      security: [{ session: [] }, { apiToken: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  // The API reference is for anyone integrating, signed in or not, like /openapi.json.
  app.addHook('onRoute', (route) => {
    if (route.url === '/docs' || route.url.startsWith('/docs/')) route.config = { ...route.config, public: true };
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });
  registerAuth(app, deps);

  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  await app.register(healthRoutes(deps, state));
  await app.register(signUpRoutes(deps), { prefix: '/api/v1' });
  await app.register(sessionsRoutes(deps), { prefix: '/api/v1' });
  await app.register(passwordResetsRoutes(deps), { prefix: '/api/v1' });
  await app.register(profileRoutes(deps), { prefix: '/api/v1' });
  await app.register(apiTokensRoutes(deps), { prefix: '/api/v1' });
  await app.register(accountsRoutes(deps), { prefix: '/api/v1' });
  await app.register(membersRoutes(deps), { prefix: '/api/v1' });
  await app.register(invitationsRoutes(deps), { prefix: '/api/v1' });
  await app.register(installInvitationsRoutes(deps), { prefix: '/api/v1' });
  await app.register(auditRoutes(deps), { prefix: '/api/v1' });
  await app.register(subscriptionsRoutes(deps), { prefix: '/api/v1' });
  await app.register(licenseKeysRoutes(deps), { prefix: '/api/v1' });
  await app.register(keyAdminsRoutes(deps), { prefix: '/api/v1' });
  await app.register(configurationProfilesRoutes(deps), { prefix: '/api/v1' });
  await app.register(policiesRoutes(deps), { prefix: '/api/v1' });
  await app.register(userGroupsRoutes(deps), { prefix: '/api/v1' });
  await app.register(subscriptionRegistrationsRoutes(deps), { prefix: '/api/v1' });
  await app.register(installationsRoutes(deps), { prefix: '/api/v1' });
  await app.register(virtualMachinesRoutes(deps), { prefix: '/api/v1' });
  await app.register(licensingRoutes(deps));
  await app.register(ssoSignInRoutes(deps));
  await app.register(ssoRoutes(deps), { prefix: '/api/v1' });
  await app.register(offlineFilesRoutes(deps), { prefix: '/api/v1' });
  await app.register(vendorCatalogRoutes(deps), { prefix: '/api/v1' });
  await app.register(vendorOrdersRoutes(deps), { prefix: '/api/v1' });
  await app.register(vendorSubscriptionsRoutes(deps), { prefix: '/api/v1' });
  await app.register(vendorAccountsRoutes(deps), { prefix: '/api/v1' });
  await app.register(webhooksRoutes(deps), { prefix: '/api/v1' });
  if (!deps.config.smtpUrl) await app.register(devMailboxRoutes(deps), { prefix: '/api/v1' });
  return app;
}
