import { createHash, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import { z } from 'zod';
import { fingerprintSchema, jwksSchema, OFFLINE_REQUEST_KINDS, profileDeliverySchema, type DescriptiveFields } from '../domain/licensing-protocol.js';

/**
 * What an installation keeps between runs (PROTOCOL.md, "Installation identity"): its machine
 * fingerprint and its own Ed25519 key pair from the first run, and after an activation the
 * installation id, token, certificate and the server's public keys to verify it offline, and the
 * configuration profile it has applied.
 */
const activationSchema = z.object({
  /** The server and token of an online activation; an installation activated with offline files has neither. */
  server: z.string().optional(),
  product: z.string(),
  licenseType: z.string().optional(),
  installationId: z.string(),
  installationToken: z.string().optional(),
  certificate: z.string(),
  nextCheckInAt: z.string(),
  /** From the last check-in: when a usage report is due (null: the product takes none; left out: not told yet, report now). */
  nextUsageReportAt: z.string().nullable().optional(),
  jwks: jwksSchema,
  /** The configuration applied here, as the server delivered it (its document verified); its hash goes with every check-in. */
  profile: profileDeliverySchema.optional(),
});

/** The offline request this installation wrote last: only the answer to it is applied. */
const offlineRequestSchema = z.object({
  kind: z.enum(OFFLINE_REQUEST_KINDS),
  nonce: z.string(),
  product: z.string(),
  licenseType: z.string().optional(),
  installationId: z.string().optional(),
  createdAt: z.string(),
});

const stateSchema = z.object({
  version: z.literal(1),
  fingerprint: fingerprintSchema,
  publicKey: z.string(),
  privateKeyPem: z.string(),
  activation: activationSchema.nullable(),
  offlineRequest: offlineRequestSchema.nullable().optional(),
});

export type AgentState = z.infer<typeof stateSchema>;
export type ActivationState = z.infer<typeof activationSchema>;
export type PendingOfflineRequest = z.infer<typeof offlineRequestSchema>;

export class StateFileError extends Error {}

export async function loadState(file: string): Promise<AgentState | null> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new StateFileError(`${file} is not a Keyline agent state file`);
  }
  const parsed = stateSchema.safeParse(json);
  if (!parsed.success) throw new StateFileError(`${file} is not a Keyline agent state file`);
  return parsed.data;
}

/** Written whole to a temporary file and renamed, so a crash never leaves half a state; readable by its owner only. */
export async function saveState(file: string, state: AgentState): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await fs.rename(temporary, file);
}

/** A stable id of this machine: its OS machine id where there is one, else its host name and network cards. */
export async function machineFingerprint(): Promise<string> {
  const machineId = await fs.readFile('/etc/machine-id', 'utf8').catch(() => '');
  const macs = Object.values(os.networkInterfaces())
    .flat()
    .map((n) => n?.mac)
    .filter((mac): mac is string => !!mac && mac !== '00:00:00:00:00:00')
    .sort();
  const source = machineId.trim() || `${os.hostname()}|${macs.join(',')}`;
  return createHash('sha256').update(`keyline-machine:${source}`).digest('base64url');
}

/** A new installation identity; the fingerprint may be given, to stand in for another machine. */
export async function newIdentity(fingerprint?: string): Promise<AgentState> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    version: 1,
    fingerprint: fingerprint ?? (await machineFingerprint()),
    publicKey: publicKey.export({ format: 'jwk' }).x!,
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    activation: null,
  };
}

/** What this machine says about itself at activation. */
export function describeMachine(): DescriptiveFields {
  const addresses = Object.values(os.networkInterfaces())
    .flat()
    .filter((n) => n && !n.internal);
  return {
    name: os.hostname().slice(0, 200),
    hostOs: `${os.type()} ${os.release()}`.slice(0, 200),
    userName: os.userInfo().username.slice(0, 100),
    hardware: {
      cpuArch: os.arch(),
      macAddresses: [...new Set(addresses.map((n) => n!.mac))].slice(0, 32),
      ipAddresses: addresses.map((n) => n!.address).slice(0, 64),
    },
  };
}
