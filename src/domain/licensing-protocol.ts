import { z } from 'zod';
import { productSchema } from './catalog.js';
import { LICENSE_STATES, WARNING_CODES, type CertificateClaims } from './certificate.js';
import type { ErrorCode } from './errors.js';
import { MAX_VMS_PER_INSTALLATION, VM_ARCHITECTURES, VM_STATES, type VmState } from './virtual-machines.js';

/**
 * The messages of PROTOCOL.md as schemas: the server validates requests and its answers with
 * them, and the client library validates what the server sends and exports the types. Licensed
 * products ship for years, so these only ever gain fields.
 */

/** Every code the licensing API answers with; a product can rely on the list being closed. */
export const LICENSING_ERROR_CODES = [
  'validation_failed',
  'key_malformed',
  'key_checksum_mismatch',
  'key_not_found',
  'key_not_registered',
  'code_not_found',
  'code_expired',
  'code_used',
  'product_mismatch',
  'license_type_mismatch',
  'sign_in_required',
  'sso_account_unknown',
  'sso_not_enabled',
  'sso_domain_not_allowed',
  'sso_no_subscription',
  'sso_no_seat',
  'sso_machine_limit',
  'sso_authorization_pending',
  'sso_slow_down',
  'sso_grant_expired',
  'sso_access_denied',
  'sso_grant_used',
  'sso_provider_unreachable',
  'subscription_expired',
  'subscription_suspended',
  'key_expired',
  'installation_blacklisted',
  'quota_exhausted',
  'key_bound_to_other_installation',
  'move_limit_reached',
  'trial_used',
  'offline_not_enabled',
  'unauthenticated',
  'token_invalid',
  'installation_deactivated',
  'file_malformed',
  'file_signature_invalid',
  'file_expired',
  'file_replayed',
  'file_wrong_installation',
  'rate_limited',
  'not_found',
  'internal_error',
  'not_ready',
  'database_unavailable',
] as const satisfies readonly ErrorCode[];
export type LicensingErrorCode = (typeof LICENSING_ERROR_CODES)[number];

const text = (max: number) => z.string().trim().max(max);
const iso = z.iso.datetime({ offset: true });

export const fingerprintSchema = z
  .string()
  .min(16, 'must be at least 16 characters')
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
  .describe("The installation's stable machine id");

export const publicKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, 'must be an Ed25519 public key (32 bytes, base64url)')
  .describe("The installation's own Ed25519 public key, base64url of its 32 bytes");

export const productCodeSchema = z.string().min(1).max(50);

export const hardwareSchema = z.strictObject({
  serialNumber: text(100).optional(),
  model: text(100).optional(),
  cpuArch: text(32).optional(),
  macAddresses: z.array(text(64)).max(32).optional(),
  ipAddresses: z.array(text(64)).max(64).optional(),
});

/** What an installation says about itself at activation and check-in; server products add their site. */
export const descriptiveFields = {
  name: text(200).optional(),
  appVersion: text(50).optional(),
  hostOs: text(200).optional(),
  userName: text(100).optional(),
  hardware: hardwareSchema.optional(),
  siteCode: text(50).optional(),
  siteDescription: text(500).optional(),
  serverId: text(100).optional(),
};
export type DescriptiveFields = z.output<z.ZodObject<typeof descriptiveFields>>;

export const activationRequestSchema = z
  .strictObject({
    product: productCodeSchema,
    licenseType: z.string().min(1).max(30).optional().describe('Required where the product has license types'),
    licenseKey: z.string().trim().min(1).max(64).optional(),
    activationCode: z.string().trim().min(1).max(64).optional(),
    ssoDeviceCode: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .describe('The device code of a sign-in with the company account (POST /licensing/v1/sso/device-authorizations): the seat is the person’s, no key needed'),
    fingerprint: fingerprintSchema,
    publicKey: publicKeySchema,
    ...descriptiveFields,
  })
  .refine((b) => [b.licenseKey, b.activationCode, b.ssoDeviceCode].filter((c) => c !== undefined).length === 1, {
    message: 'send one of licenseKey, activationCode or ssoDeviceCode',
    path: ['licenseKey'],
  })
  .meta({ id: 'ActivationRequest' });
export type ActivationRequest = z.input<typeof activationRequestSchema>;

export const deviceAuthorizationRequestSchema = z
  .strictObject({
    account: z.string().trim().min(1).max(254).describe("The company's account: its support code (12345-67890) or its email domain (example.com)"),
    product: productCodeSchema,
  })
  .meta({ id: 'DeviceAuthorizationRequest' });

export const deviceAuthorizationSchema = z
  .object({
    deviceCode: z.string().describe('Secret: send it as ssoDeviceCode to POST /api/v1/activations until the person has signed in'),
    userCode: z.string().describe('Show it to the person: they enter it at verificationUri'),
    verificationUri: z.string(),
    verificationUriComplete: z.string().describe('verificationUri with the code filled in (for a link or a QR code)'),
    expiresIn: z.number().int().describe('seconds the person has to sign in'),
    interval: z.number().int().describe('seconds to wait between activation attempts; sso_slow_down makes it longer'),
  })
  .meta({ id: 'DeviceAuthorization' });

const settingValueSchema = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);

/** The policies laid over the profile, in the order they apply; absent when there are none. A kind a client does not know is still a policy it was given. */
const policyRefsSchema = z
  .array(z.object({ kind: z.string(), id: z.string(), name: z.string(), version: z.number().int() }))
  .optional()
  .describe("the policies over the profile, in the order they apply (a user group's policy: kind group_policy); absent when there are none");

/** What a configuration document signs: the effective configuration of one installation. */
export const configurationDocumentSchema = z.object({
  kind: z.literal('configuration'),
  sub: z.string().describe('the installation id'),
  aud: z.string().describe('the product code'),
  id: z.string().nullable().describe('the profile id; null for the built-in Default'),
  name: z.string(),
  version: z.number().int(),
  policies: policyRefsSchema,
  hash: z.string(),
  payloads: z.array(z.object({ type: z.string(), settings: z.record(z.string(), settingValueSchema) })).describe('the enabled payloads, one per type, in type order'),
  iat: z.number().int(),
});
export type ConfigurationDocument = z.infer<typeof configurationDocumentSchema>;

export const profileDeliverySchema = z
  .object({
    id: z.string().nullable().describe('null for the built-in Default'),
    name: z.string(),
    version: z.number().int(),
    policies: policyRefsSchema,
    hash: z.string().describe("the configuration's hash: report it back as profileHash once applied; the certificate's lic.profile.hash names the current one"),
    document: z.string().describe('a compact JWS (EdDSA, kid in the header) by the server over the configuration document'),
  })
  .meta({ id: 'ProfileDelivery' });
export type ProfileDelivery = z.infer<typeof profileDeliverySchema>;

export const activationResponseSchema = z
  .object({
    installationId: z.string(),
    installationToken: z.string(),
    certificate: z.string(),
    nextCheckInAt: iso,
    profile: profileDeliverySchema.optional().describe('the configuration to apply; always sent by this server'),
  })
  .meta({ id: 'Activation' });
export type ActivationResponse = z.infer<typeof activationResponseSchema>;

export const usageSchema = z.strictObject({
  peak: z.number().int().min(0).max(10_000_000),
  current: z.number().int().min(0).max(10_000_000),
  measuredAt: iso,
});

export const checkInRequestSchema = z
  .strictObject({
    usage: usageSchema.optional(),
    ...descriptiveFields,
    // Entries are read one by one (virtual-machines.ts) so that one bad entry never refuses the check-in.
    virtualMachines: z
      .array(z.unknown())
      .max(10_000)
      .optional()
      .describe(
        `The installation's virtual machines, all of them (the inventory is replaced): each { uuid, name, guestOs?, state (${VM_STATES.join(', ')}), architecture (${VM_ARCHITECTURES.join(', ')}), lastUsedAt? }; a bad entry is refused with a warning, entries past ${MAX_VMS_PER_INSTALLATION} too`,
      ),
    profileHash: z.string().min(1).max(100).optional().describe('the hash of the configuration the installation has applied'),
  })
  .meta({ id: 'CheckInRequest' });

/** A virtual machine as an installation reports it; the server reads and checks each entry on its own (virtual-machines.ts). */
export interface VirtualMachineReport {
  /** RFC 4122 text, in any case, optionally in braces. */
  uuid: string;
  name: string;
  guestOs?: string | null;
  state: VmState;
  /** x86_64, arm64 or x86 (amd64, aarch64, i386 … are read as these). */
  architecture: string;
  /** ISO 8601 with an offset; null for a VM never started. */
  lastUsedAt?: string | null;
}
export type CheckInRequest = Omit<z.input<typeof checkInRequestSchema>, 'virtualMachines'> & { virtualMachines?: VirtualMachineReport[] };

export const warningSchema = z
  .object({ code: z.enum(WARNING_CODES), message: z.string(), daysLeft: z.number().int().optional(), entry: z.number().int().min(1).optional() })
  .meta({ id: 'LicenseWarning' });
export const licenseStateSchema = z.enum(LICENSE_STATES);

export const CHECK_IN_ACTIONS = ['none', 'deactivate', 'reactivate'] as const;
export type CheckInAction = (typeof CHECK_IN_ACTIONS)[number];

export const checkInResponseSchema = z
  .object({
    certificate: z.string(),
    nextCheckInAt: iso,
    // Optional for the client library's sake: a server from before this addition leaves it out.
    nextUsageReportAt: iso
      .nullable()
      .optional()
      .describe('When the next usage report is due: send `usage` with the check-in at or after it (null: the product takes no usage reports)'),
    action: z.enum(CHECK_IN_ACTIONS),
    warnings: z.array(warningSchema),
    profile: profileDeliverySchema.nullable().describe('the configuration to apply when profileHash is not the current one; null when it is'),
  })
  .meta({ id: 'CheckIn' });
export type CheckInResponse = z.infer<typeof checkInResponseSchema>;

export const statusResponseSchema = z
  .object({
    total: z.number().int(),
    used: z.number().int(),
    remaining: z.number().int(),
    licenseExpiresAt: iso,
    state: licenseStateSchema,
    warnings: z.array(warningSchema),
  })
  .meta({ id: 'InstallationStatus' });
export type StatusResponse = z.infer<typeof statusResponseSchema>;

export const deactivationResponseSchema = z.object({ installationId: z.string(), state: z.literal('deactivated') }).meta({ id: 'Deactivation' });
export type DeactivationResponse = z.infer<typeof deactivationResponseSchema>;

export const trialRequestSchema = z
  .strictObject({ product: productCodeSchema, fingerprint: fingerprintSchema, publicKey: publicKeySchema, ...descriptiveFields })
  .meta({ id: 'TrialRequest' });
export type TrialRequest = z.input<typeof trialRequestSchema>;

export const publicJwkSchema = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string(),
  kid: z.string(),
  alg: z.literal('EdDSA'),
  use: z.literal('sig'),
});
export const jwksSchema = z.object({ keys: z.array(publicJwkSchema) }).meta({ id: 'JsonWebKeySet' });
export type Jwks = z.infer<typeof jwksSchema>;

export const certificateClaimsSchema: z.ZodType<CertificateClaims> = z.object({
  iss: z.string(),
  sub: z.string(),
  aud: z.string(),
  iat: z.number().int(),
  exp: z.number().int(),
  lic: z.object({
    keyId: z.string().nullable(),
    subscriptionId: z.string().nullable(),
    licenseType: z.string().nullable(),
    user: z.string().optional(),
    model: productSchema.shape.model,
    seats: z.number().int(),
    state: licenseStateSchema,
    licenseExpiresAt: iso,
    graceUntil: iso.optional(),
    features: z.array(z.string()),
    upgradeOf: z.array(z.string()).optional(),
    profile: z.object({ id: z.string().nullable(), name: z.string(), version: z.number().int(), policies: policyRefsSchema, hash: z.string() }).optional(),
  }),
});

/*
 * Offline files (PROTOCOL.md, "Offline files"): what an installation with no network signs for
 * the portal, and what the server signs back. The armor around them is in offline-file.ts.
 */
export const OFFLINE_REQUEST_KINDS = ['activation-request', 'refresh-request', 'deactivation-request'] as const;
export type OfflineRequestKind = (typeof OFFLINE_REQUEST_KINDS)[number];
export const OFFLINE_ANSWER_KINDS = ['activation', 'refresh'] as const;
export type OfflineAnswerKind = (typeof OFFLINE_ANSWER_KINDS)[number];

export const nonceSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{22,86}$/, 'must be 16 to 64 random bytes, base64url')
  .describe('A random value the installation makes for each request; the server accepts it once');

const offlineRequestFields = {
  product: productCodeSchema,
  licenseType: z.string().min(1).max(30).optional(),
  fingerprint: fingerprintSchema,
  publicKey: publicKeySchema,
  nonce: nonceSchema,
  createdAt: iso,
  ...descriptiveFields,
};

export const offlineActivationRequestSchema = z.strictObject({
  kind: z.literal('activation-request'),
  licenseKey: z.string().trim().min(1).max(64),
  ...offlineRequestFields,
});

/** A refresh or a deactivation names the installation the activation made; its key must be the one bound then. */
const installationRequest = <K extends 'refresh-request' | 'deactivation-request'>(kind: K) =>
  z.strictObject({ kind: z.literal(kind), installationId: z.uuid(), ...offlineRequestFields });

export const offlineRequestSchema = z.discriminatedUnion('kind', [
  offlineActivationRequestSchema,
  installationRequest('refresh-request'),
  installationRequest('deactivation-request'),
]);
export type OfflineRequest = z.output<typeof offlineRequestSchema>;

export const offlineAnswerSchema = z.object({
  kind: z.enum(OFFLINE_ANSWER_KINDS),
  certificate: z.string(),
  installationId: z.string(),
  fingerprint: z.string(),
  nonce: z.string(),
  publicKeyThumbprint: z.string(),
  issuedAt: iso,
  profile: profileDeliverySchema.optional(),
});
export type OfflineAnswer = z.infer<typeof offlineAnswerSchema>;

/** The portal's upload of a request file (POST /api/v1/accounts/{accountId}/offline-files). */
export const MAX_OFFLINE_FILE_CHARS = 65_536;
export const offlineUploadSchema = z
  .strictObject({ file: z.string().min(1).max(MAX_OFFLINE_FILE_CHARS).describe('The request file as the installation wrote it') })
  .meta({ id: 'OfflineFileUpload' });

export const offlineUploadAnswerSchema = z
  .object({
    kind: z.enum(['activation', 'refresh', 'deactivation']),
    installationId: z.string(),
    file: z.string().optional().describe('The signed file to carry back to the installation (not for a deactivation)'),
    fileName: z.string().optional(),
  })
  .meta({ id: 'OfflineFileAnswer' });
export type OfflineUploadAnswer = z.infer<typeof offlineUploadAnswerSchema>;
