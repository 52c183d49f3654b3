import { buildWebIfStale } from '../../scripts/build-web.js';

/** The browser tests drive the portal the server serves from dist/web: build it once, if stale. */
export default async function setup() {
  await buildWebIfStale();
}
