import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { DB } from '../data/schema.js';
import type { Clock } from '../domain/clock.js';

/** The one typed container of dependencies, built once at start and handed to every use case. */
export interface Deps {
  db: Kysely<DB>;
  /** Writes that may be lost in a crash without harm (see Database.relaxed). */
  relaxedDb: Kysely<DB>;
  clock: Clock;
  config: Config;
  log: Logger;
}

export function link(deps: Deps, path: string): string {
  return `${deps.config.publicUrl}${path}`;
}
