import { createPrivateKey, randomBytes } from 'node:crypto';
import type { CertificateClaims } from '../domain/certificate.js';
import { AppError } from '../domain/errors.js';
import { offlineRequestSchema, type DescriptiveFields, type Jwks, type OfflineAnswer, type OfflineRequestKind } from '../domain/licensing-protocol.js';
import { ARMOR_KIND_OF, armor, isOfflineFileExpired, OFFLINE_FILE_DAYS, okpThumbprint, readOfflineAnswer, signCompactJws } from '../domain/offline-file.js';
import { verifyCertificate, type CertificateProblem } from './certificate.js';
import type { AgentState, PendingOfflineRequest } from './state.js';

/**
 * The installation's side of offline files (PROTOCOL.md, "Offline files"), with no network: it
 * writes a request signed with its own key, and later checks the server's answer against the
 * server's public keys and against the request it wrote last.
 */

export interface OfflineRequestInput {
  kind: OfflineRequestKind;
  product: string;
  licenseType?: string | undefined;
  /** Activation only. */
  licenseKey?: string | undefined;
  /** Refresh and deactivation: the installation the activation made. */
  installationId?: string | undefined;
  details: DescriptiveFields;
}

/** The armored request file, and what to remember of it to accept only its answer. */
export function writeOfflineRequest(identity: AgentState, input: OfflineRequestInput, now = new Date()): { text: string; pending: PendingOfflineRequest } {
  const pending: PendingOfflineRequest = {
    kind: input.kind,
    nonce: randomBytes(16).toString('base64url'),
    product: input.product,
    ...(input.licenseType !== undefined ? { licenseType: input.licenseType } : {}),
    ...(input.kind !== 'activation-request' ? { installationId: input.installationId } : {}),
    createdAt: now.toISOString(),
  };
  const payload = offlineRequestSchema.parse({
    ...input.details,
    ...pending,
    ...(input.kind === 'activation-request' ? { licenseKey: input.licenseKey } : {}),
    fingerprint: identity.fingerprint,
    publicKey: identity.publicKey,
  });
  const jws = signCompactJws({ typ: 'keyline-offline-request' }, payload, createPrivateKey(identity.privateKeyPem));
  return { text: armor(ARMOR_KIND_OF[input.kind], jws), pending };
}

export type AppliedAnswer = { ok: true; answer: OfflineAnswer; claims: CertificateClaims } | { ok: false; problem: CertificateProblem };

/**
 * Checks a file from the server before anything is kept: the server's signature, that it is for
 * this machine (fingerprint, the thumbprint of its key, the installation), that it answers the
 * request written last (its nonce), that it is not past its 30 days, and its certificate. File
 * problems throw with the protocol's `file_*` codes; a certificate that does not verify is returned.
 */
export function checkOfflineAnswer(text: string, identity: AgentState, jwks: Jwks, now = new Date()): AppliedAnswer {
  const answer = readOfflineAnswer(text, jwks);
  const pending = identity.offlineRequest;
  const wrongInstallation = (why: string) => new AppError('file_wrong_installation', `This file is for another installation: ${why}`);
  if (answer.fingerprint !== identity.fingerprint) throw wrongInstallation('its machine fingerprint is not this one');
  if (answer.publicKeyThumbprint !== okpThumbprint(identity.publicKey)) throw wrongInstallation("it names another installation's key");
  if (pending?.installationId !== undefined && answer.installationId !== pending.installationId) throw wrongInstallation('it names another installation id');
  if (!pending || pending.kind !== `${answer.kind}-request` || pending.nonce !== answer.nonce) {
    throw new AppError('file_replayed', 'This file does not answer the request this installation wrote last: it was applied already, or a newer request was written since');
  }
  if (isOfflineFileExpired(new Date(answer.issuedAt), now)) {
    throw new AppError('file_expired', `This file was issued on ${answer.issuedAt}; files are good for ${OFFLINE_FILE_DAYS} days, so write a new request`);
  }
  const verdict = verifyCertificate(answer.certificate, jwks, { now, product: pending.product, installationId: answer.installationId });
  return verdict.ok ? { ok: true, answer, claims: verdict.claims } : { ok: false, problem: verdict.problem };
}
