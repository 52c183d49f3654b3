import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const SERVER_PATHS = ['/api', '/licensing', '/.well-known', '/docs', '/openapi.json', '/healthz', '/readyz'];

// The portal is served by the Keyline server itself (same origin as the API), from dist/web.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: path.resolve(import.meta.dirname, '../dist/web'), emptyOutDir: true },
  // `npx vite --config web/vite.config.ts` for live editing against a running server: every server
  // path goes to KEYLINE_URL (default the `npm start` address).
  server: { proxy: Object.fromEntries(SERVER_PATHS.map((p) => [p, process.env['KEYLINE_URL'] ?? 'http://127.0.0.1:8080'])) },
});
