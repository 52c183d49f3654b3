import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Where `npm run build:web` writes the web portal. */
export const PORTAL_DIR = path.resolve(import.meta.dirname, '../../dist/web');

// Paths that belong to the server itself: an unknown one is a JSON 404, never the portal's page.
const SERVER_PATHS = /^\/(api|licensing|\.well-known|docs|openapi\.json|healthz|readyz|assets)(\/|$|\?)/;

type NotFound = (request: FastifyRequest, reply: FastifyReply) => unknown;

/**
 * Serves the built single-page portal when there is one: its hashed assets, and its index.html for
 * any other browser path so that links like /subscriptions/… open the app. Without a build the
 * server is the API alone and every unknown path stays a JSON 404.
 */
export async function registerPortal(app: FastifyInstance, notFound: NotFound, dir = PORTAL_DIR): Promise<NotFound> {
  if (!existsSync(path.join(dir, 'index.html'))) return notFound;
  await app.register(fastifyStatic, { root: dir, serve: false });
  app.get('/assets/*', { config: { public: true }, schema: { hide: true } }, (req, reply) =>
    reply.sendFile(`assets/${(req.params as Record<string, string>)['*']}`, { maxAge: '365d', immutable: true }),
  );
  return (request, reply) => {
    if ((request.method === 'GET' || request.method === 'HEAD') && !SERVER_PATHS.test(request.url)) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
    }
    return notFound(request, reply);
  };
}
