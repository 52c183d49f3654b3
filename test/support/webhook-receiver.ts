import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: Record<string, string>;
  body: string;
}

/** How the receiver answers: 200, 500, a redirect, or not at all until released. */
export type ReceiverMode = 'ok' | 'fail' | 'redirect' | 'hang';

/**
 * A real HTTP receiver on 127.0.0.1 (node:http), as a customer's integration would run one: it
 * records every request and answers as its mode says.
 */
export async function startReceiver(mode: ReceiverMode = 'ok') {
  const received: Received[] = [];
  const hanging = new Set<http.ServerResponse>();
  const state = { mode };
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])), body });
      switch (state.mode) {
        case 'ok':
          return res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks');
        case 'fail':
          return res.writeHead(500, { 'content-type': 'text/plain' }).end(`receiver broken: ${'x'.repeat(5000)}`);
        case 'redirect':
          return res.writeHead(302, { location: 'http://127.0.0.1:9/elsewhere' }).end();
        case 'hang':
          hanging.add(res);
          res.on('close', () => hanging.delete(res));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    port,
    received,
    /** Requests the receiver holds open right now. */
    get hanging() {
      return hanging.size;
    },
    set mode(m: ReceiverMode) {
      state.mode = m;
    },
    /** Answers the requests it holds, late. */
    release() {
      for (const res of hanging) res.writeHead(200).end('late');
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
