// The ceiling for HTTP: a bare Fastify route on this machine, answering a small JSON body.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/bare', async () => ({ ok: true }));
await app.listen({ host: '127.0.0.1', port: Number(process.env['PORT'] ?? 0) });
