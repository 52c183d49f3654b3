/**
 * Builds what `npm start` runs when it is missing or older than its sources: the web portal
 * (dist/web) and the server compiled to JavaScript (build/). `--force` builds both regardless.
 */
import { buildServerIfStale } from './build-server.js';
import { buildWebIfStale } from './build-web.js';

const force = process.argv.includes('--force');
if (await buildWebIfStale(force)) console.log('web portal built into dist/web');
if (buildServerIfStale(force)) console.log('server compiled into build/');
