import type { z } from 'zod';
import { insertInstallation } from '../../data/repositories/installations.js';
import { attachTrialInstallation, insertTrial } from '../../data/repositories/trials.js';
import { findLicensedProduct } from '../../data/repositories/products.js';
import { addDays } from '../../domain/clock.js';
import { nextCheckInAt } from '../../domain/certificate.js';
import { AppError } from '../../domain/errors.js';
import type { ActivationResponse, trialRequestSchema } from '../../domain/licensing-protocol.js';
import type { Origin } from '../../domain/actor.js';
import type { Deps } from '../context.js';
import { enforceRateLimit, TRIALS_PER_ADDRESS } from '../rate-limit.js';
import { hashSecret, newSecret } from '../security/secrets.js';
import { certificateOf, factsOf, installationDetails } from './installation-facts.js';
import { activeSigner, signCertificate } from './signing.js';
import { deliverConfiguration } from './installation-configuration.js';
import { runTransaction } from '../../data/transactions.js';
import { NO_KEY_CONFIGURATION } from '../../domain/configuration-profile.js';

export type TrialInput = z.output<typeof trialRequestSchema>;

/**
 * A trial activation: no key, the product's trial days and seats, once per machine and product.
 * The trial installation checks in like any other and is told when its trial has ended.
 */
export async function startTrial(deps: Deps, input: TrialInput, origin: Origin): Promise<ActivationResponse> {
  // A trial needs no key, only a fingerprint the caller makes up, so the address is what limits them.
  await enforceRateLimit(deps, TRIALS_PER_ADDRESS, origin.ip ?? 'unknown');
  const signer = await activeSigner(deps);
  const token = newSecret('kli');
  const result = await runTransaction(deps.db, async (trx) => {
    const now = deps.clock.now();
    const product = await findLicensedProduct(trx, input.product);
    if (!product) throw new AppError('not_found', `No product ${input.product}`, { field: 'product' });
    const trialEnd = addDays(now, product.params.trialDays);
    if (!(await insertTrial(trx, { productCode: product.code, fingerprint: input.fingerprint, expiresAt: trialEnd, now }))) {
      throw new AppError('trial_used', 'This machine has already had a trial of this product');
    }
    const nextCheckIn = nextCheckInAt(now, product.params, Math.random);
    const installation = await insertInstallation(trx, {
      accountId: null,
      subscriptionId: null,
      itemId: null,
      licenseKeyId: null,
      productCode: product.code,
      licenseType: null,
      fingerprint: input.fingerprint,
      publicKey: input.publicKey,
      tokenHash: hashSecret(token),
      trial: true,
      holdsSeat: false,
      details: installationDetails(input),
      now,
      nextCheckInAt: nextCheckIn,
    });
    await attachTrialInstallation(trx, product.code, input.fingerprint, installation.id);
    const facts = await factsOf(trx, installation, { trial: true, product, trialEnd }, NO_KEY_CONFIGURATION);
    return { installation, nextCheckIn, configuration: facts.configuration, ...certificateOf(deps, facts, { now, nextCheckInAt: nextCheckIn }) };
  });
  return {
    installationId: result.installation.id,
    installationToken: token,
    certificate: signCertificate(signer, result.claims),
    nextCheckInAt: result.nextCheckIn.toISOString(),
    profile: deliverConfiguration(signer, result.claims, result.configuration),
  };
}
