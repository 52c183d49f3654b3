import { insertApiToken, listApiTokens as listTokens, revokeApiToken as revoke } from '../../data/repositories/api-tokens.js';
import { notFound } from '../../domain/errors.js';
import type { Actor } from '../../domain/actor.js';
import type { Deps } from '../context.js';
import { hashSecret, newSecret } from '../security/secrets.js';

/** A token for integrations and the CLI; the secret is shown once and stored only as a hash. */
export async function createApiToken(deps: Deps, actor: Actor, name: string) {
  const token = newSecret('kt');
  const row = await insertApiToken(deps.db, { userId: actor.userId, name, tokenHash: hashSecret(token), now: deps.clock.now() });
  return { ...row, token };
}

export function listApiTokens(deps: Deps, actor: Actor) {
  return listTokens(deps.db, actor.userId);
}

export async function revokeApiToken(deps: Deps, actor: Actor, tokenId: string): Promise<void> {
  if (!(await revoke(deps.db, actor.userId, tokenId, deps.clock.now()))) throw notFound('API token');
}
