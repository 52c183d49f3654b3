import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import { AppError } from '../../domain/errors.js';
import { classifyAddress } from '../../domain/ip-address.js';
import { addressAllowed, checkWebhookUrl, forbiddenAddress, type Destination, type DestinationPolicy, type UrlRefusal } from '../../domain/webhooks.js';

/**
 * Where webhooks may go (no server-side request forgery): the rule of domain/webhooks.ts, with
 * the host name resolved. It is checked when an endpoint is saved, for a clear answer then, and
 * at every delivery by the resolver the connection itself uses, so the address checked is the
 * address connected to: a name that comes to point inside later (DNS rebinding) gets nothing.
 */

const refusalError = (refusal: UrlRefusal) => new AppError(refusal.code, refusal.message, { field: 'url', ...('addressClass' in refusal ? { addressClass: refusal.addressClass } : {}) });

/** The first resolved address the policy refuses, as its refusal. */
function refusedAmong(addresses: readonly dns.LookupAddress[], policy: DestinationPolicy): UrlRefusal | null {
  for (const { address } of addresses) {
    const addressClass = classifyAddress(address) ?? 'reserved';
    if (!addressAllowed(addressClass, policy)) return forbiddenAddress(addressClass);
  }
  return null;
}

/** The endpoint's URL as it may be saved, or the 4xx that says why not. */
export async function checkDestination(url: URL, policy: DestinationPolicy): Promise<Destination> {
  const checked = checkWebhookUrl(url, policy);
  if (!checked.ok) throw refusalError(checked.refusal);
  const { destination } = checked;
  if (destination.addressClass !== null || policy.allowPrivate) return destination;
  let addresses: dns.LookupAddress[];
  try {
    addresses = await dns.promises.lookup(destination.host, { all: true, verbatim: true });
  } catch {
    throw new AppError('webhook_host_unresolvable', `The host name ${destination.host} does not resolve to an address`, { field: 'url' });
  }
  const refused = refusedAmong(addresses, policy);
  if (refused) throw refusalError(refused);
  return destination;
}

export class ForbiddenDestination extends Error {}

/** The resolver a delivery's connection uses: the system's, refusing every name with an address the policy does not allow. */
export function guardedLookup(policy: DestinationPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const refused = refusedAmong(addresses, policy);
      if (refused) return callback(new ForbiddenDestination(`${hostname}: ${refused.message}`), '', 0);
      if (options.all) return callback(null, addresses);
      const [first] = addresses;
      return first ? callback(null, first.address, first.family) : callback(new ForbiddenDestination(`${hostname} has no address`), '', 0);
    });
  };
}
