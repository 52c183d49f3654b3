import { randomUUID } from 'node:crypto';
import { setAccountOfflineActivation } from '../../src/services/vendor/offline-activation.js';
import type { ApiClient, TestApp } from './harness.js';
import { counters } from './installations.js';
import { customerWithSubscription, operatorActor } from './licensing.js';
import type { ServerProcess } from './server-process.js';

export const offlineFingerprint = () => `offline-machine-${randomUUID()}`;

/** A business account with a ten-seat subscription whose vendor enabled offline activation, and its member's upload. */
export async function offlineCustomer(t: TestApp, enabled = true) {
  const c = await customerWithSubscription(t);
  if (enabled) await setAccountOfflineActivation(t.deps, await operatorActor(t), c.accountId, true);
  const upload = (text: string, client: ApiClient = c.client) => client.post(`/api/v1/accounts/${c.accountId}/offline-files`, { file: text });
  const seats = () => counters(t.deps.db, c.primaryKey.id, c.items[0]!.id);
  return { ...c, upload, seats };
}

export interface UploadAnswer {
  status: number;
  body: any;
}

/**
 * Uploads with an API token, as a script would: to the server processes in turn when there are
 * any (two `keyline serve` on one PostgreSQL database), else to the app in this process.
 */
export async function tokenUploader(t: TestApp, c: { client: ApiClient; accountId: string }, servers: ServerProcess[] = []) {
  const token = (await c.client.post('/api/v1/me/api-tokens', { name: 'offline uploads' })).body.token as string;
  const path = `/api/v1/accounts/${c.accountId}/offline-files`;
  const local = t.client();
  local.bearer = token;
  return async (text: string, turn = 0): Promise<UploadAnswer> => {
    if (servers.length === 0) return local.post(path, { file: text });
    const res = await fetch(`${servers[turn % servers.length]!.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ file: text }),
    });
    return { status: res.status, body: await res.json() };
  };
}
