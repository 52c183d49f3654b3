import fs from 'node:fs/promises';
import { ZodError } from 'zod';
import { RUNNABLE_STATES, type CertificateClaims, type Warning } from '../domain/certificate.js';
import { AppError } from '../domain/errors.js';
import { usageReportDue } from '../domain/usage-reports.js';
import { configurationDocumentSchema, jwksSchema, type ActivationResponse, type CheckInRequest, type Jwks, type OfflineRequestKind, type ProfileDelivery, type VirtualMachineReport } from '../domain/licensing-protocol.js';
import { isLicensed, verifyCertificate, verifyServerJws } from './certificate.js';
import { verifyConfiguration } from './configuration.js';
import { LicensingClient, LicensingError, ServerUnavailable } from './licensing-client.js';
import { checkOfflineAnswer, writeOfflineRequest } from './offline.js';
import { describeMachine, loadState, newIdentity, saveState, StateFileError, type ActivationState, type AgentState } from './state.js';

/**
 * `keyline agent`: a stand-in for a licensed product. Each command returns what to print and an
 * exit code a script can rely on.
 */
export const EXIT = {
  ok: 0,
  usage: 2,
  /** The server refused, or an offline file was refused here; the error code says why. */
  refused: 3,
  /** No answer from the server. */
  unreachable: 4,
  /** Not activated, or the certificate is invalid or expired, or the license does not allow running. */
  unlicensed: 5,
} as const;

export interface AgentResult {
  exitCode: number;
  data: Record<string, unknown>;
  lines: string[];
}

class AgentFailure extends Error {
  constructor(
    readonly exitCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const unlicensed = (code: string, message: string) => new AgentFailure(EXIT.unlicensed, code, message);

async function activatedState(stateFile: string): Promise<AgentState & { activation: ActivationState }> {
  const state = await loadState(stateFile);
  if (!state?.activation) throw unlicensed('not_activated', `Not activated (no activation in ${stateFile}); run keyline agent activate first`);
  return state as AgentState & { activation: ActivationState };
}

type OnlineActivation = ActivationState & { server: string; installationToken: string };

/** The activation's server and token; one made with offline files has neither and is refreshed with files. */
function online(activation: ActivationState): OnlineActivation {
  if (activation.server === undefined || activation.installationToken === undefined) {
    throw new AgentFailure(EXIT.usage, 'activated_offline', 'This installation was activated with offline files and calls no server; use keyline agent offline-request --kind refresh|deactivation');
  }
  return activation as OnlineActivation;
}

/** Verifies a certificate from the server, fetching the public keys again when it is signed by one not yet known. */
async function verifiedClaims(client: LicensingClient, certificate: string, jwks: Jwks | null, expect: { product: string; installationId: string }) {
  let keys = jwks ?? (await client.jwks());
  let verdict = verifyCertificate(certificate, keys, expect);
  if (!verdict.ok && verdict.problem === 'unknown_key' && jwks) {
    keys = await client.jwks();
    verdict = verifyCertificate(certificate, keys, expect);
  }
  if (!verdict.ok) throw unlicensed(`certificate_${verdict.problem}`, `The server's certificate does not verify: ${verdict.problem}`);
  return { claims: verdict.claims, jwks: keys };
}

/**
 * The configuration to keep after the server answered: a delivered one once its document verifies
 * against the new certificate, else the one kept already (the server sends none when it is current).
 */
function acceptedProfile(delivery: ProfileDelivery | null | undefined, kept: ProfileDelivery | undefined, jwks: Jwks, claims: CertificateClaims): ProfileDelivery | undefined {
  if (!delivery) return kept;
  const verdict = verifyConfiguration(delivery, jwks, claims);
  if (!verdict.ok) throw unlicensed(`profile_${verdict.problem}`, `The server's configuration profile does not verify: ${verdict.problem}`);
  return delivery;
}

/** The kept configuration, its policies and payloads read from its document (verified when it was kept). */
function profileData(activation: ActivationState) {
  const { profile } = activation;
  if (!profile) return null;
  const read = verifyServerJws(profile.document, activation.jwks, configurationDocumentSchema);
  const document = read.ok ? read.payload : null;
  return { id: profile.id, name: profile.name, version: profile.version, hash: profile.hash, policies: document?.policies ?? [], payloads: document?.payloads ?? [] };
}

const settingText = (v: unknown) => (Array.isArray(v) ? v.join(' ') : String(v));

// How the status names a kind of policy; a kind this agent does not know yet is shown as it is.
const policyKindText: Record<string, string> = { group_policy: 'user group policy' };

function profileLines(activation: ActivationState): string[] {
  const profile = profileData(activation);
  if (!profile) return ['profile:          none received yet'];
  return [
    `profile:          ${profile.name}, version ${profile.version}${profile.id === null ? ' (built in)' : ''}`,
    ...(profile.policies.length === 0 ? ['policies:         none'] : []),
    ...profile.policies.map((p) => `policy:           ${p.name}, version ${p.version} (${policyKindText[p.kind] ?? p.kind})`),
    ...(profile.payloads.length === 0 ? ['payloads:         none'] : []),
    ...profile.payloads.map((p) => `payload:          ${p.type}: ${Object.entries(p.settings).map(([k, v]) => `${k}=${settingText(v)}`).join(', ')}`),
  ];
}

function licenseLines(claims: CertificateClaims): string[] {
  return [
    `product:          ${claims.aud}`,
    `installation:     ${claims.sub}`,
    `state:            ${claims.lic.state}`,
    `seats:            ${claims.lic.seats}`,
    `license expires:  ${claims.lic.licenseExpiresAt}`,
    ...(claims.lic.graceUntil ? [`grace until:      ${claims.lic.graceUntil}`] : []),
    `certificate until ${new Date(claims.exp * 1000).toISOString()}`,
  ];
}

const licenseData = (claims: CertificateClaims) => ({
  installationId: claims.sub,
  product: claims.aud,
  keyId: claims.lic.keyId,
  state: claims.lic.state,
  seats: claims.lic.seats,
  licenseExpiresAt: claims.lic.licenseExpiresAt,
  ...(claims.lic.graceUntil ? { graceUntil: claims.lic.graceUntil } : {}),
  certificateExpiresAt: new Date(claims.exp * 1000).toISOString(),
});

const warningLines = (warnings: Warning[]) => warnings.map((w) => `warning:          ${w.message}`);
const withProfile = (profile: ProfileDelivery | undefined) => (profile ? { profile } : {});
const licensedExit = (claims: CertificateClaims) => (isLicensed(claims) ? EXIT.ok : EXIT.unlicensed);

export interface ActivationOptions {
  state: string;
  server: string;
  product: string;
  name?: string | undefined;
  fingerprint?: string | undefined;
}

interface Activating {
  identity: AgentState;
  client: LicensingClient;
  request: { product: string; fingerprint: string; publicKey: string } & ReturnType<typeof describeMachine>;
}

async function prepare(opts: ActivationOptions): Promise<Activating> {
  const identity = (await loadState(opts.state)) ?? (await newIdentity(opts.fingerprint));
  if (opts.fingerprint !== undefined && opts.fingerprint !== identity.fingerprint) {
    throw new AgentFailure(EXIT.usage, 'usage', `${opts.state} belongs to another machine (fingerprint ${identity.fingerprint})`);
  }
  const request = {
    product: opts.product,
    fingerprint: identity.fingerprint,
    publicKey: identity.publicKey,
    ...describeMachine(),
    ...(opts.name !== undefined ? { name: opts.name } : {}),
  };
  return { identity, client: new LicensingClient(opts.server), request };
}

/** Verifies the certificate of a new activation and keeps it with the token. */
async function keep(opts: ActivationOptions & { licenseType?: string | undefined }, { identity, client }: Activating, activation: ActivationResponse, headline: string): Promise<AgentResult> {
  const { claims, jwks } = await verifiedClaims(client, activation.certificate, null, { product: opts.product, installationId: activation.installationId });
  await saveState(opts.state, {
    ...identity,
    activation: {
      server: opts.server,
      // The edition comes from the license: an app that asked as Business may be licensed as Enterprise.
      product: claims.aud,
      ...(opts.licenseType !== undefined ? { licenseType: opts.licenseType } : {}),
      installationId: activation.installationId,
      installationToken: activation.installationToken,
      certificate: activation.certificate,
      nextCheckInAt: activation.nextCheckInAt,
      jwks,
      ...withProfile(acceptedProfile(activation.profile, undefined, jwks, claims)),
    },
  });
  return {
    exitCode: licensedExit(claims),
    data: { ...licenseData(claims), nextCheckInAt: activation.nextCheckInAt },
    lines: [headline, ...licenseLines(claims), `next check-in:    ${activation.nextCheckInAt}`],
  };
}

/** Activates this machine with a license key, or with the temporary activation code of an invitation to install. */
export async function activate(opts: ActivationOptions & { key?: string | undefined; code?: string | undefined; licenseType?: string | undefined }): Promise<AgentResult> {
  if ((opts.key === undefined) === (opts.code === undefined)) {
    throw new AgentFailure(EXIT.usage, 'usage', 'Give either --key <licenseKey> or --code <activationCode>');
  }
  const activating = await prepare(opts);
  const { created, activation } = await activating.client.activate({
    ...activating.request,
    ...(opts.key !== undefined ? { licenseKey: opts.key } : { activationCode: opts.code! }),
    ...(opts.licenseType !== undefined ? { licenseType: opts.licenseType } : {}),
  });
  const result = await keep(opts, activating, activation, created ? 'Activated.' : 'Already active on this machine: activation renewed.');
  return { ...result, data: { ...result.data, created } };
}

/** Starts this machine's trial of a product. */
export async function trial(opts: ActivationOptions): Promise<AgentResult> {
  const activating = await prepare(opts);
  return keep(opts, activating, await activating.client.startTrial(activating.request), 'Trial started.');
}

const usageScheduleData = (activation: ActivationState) =>
  activation.nextUsageReportAt !== undefined ? { nextUsageReportAt: activation.nextUsageReportAt } : {};

/** When this installation reports its usage next, as the last check-in said. */
function usageScheduleLine(activation: ActivationState): string[] {
  const due = activation.nextUsageReportAt;
  if (due === null) return [];
  return [`next usage report: ${due ?? 'at the next check-in (none sent yet)'}`];
}

/** The license as the server sees it now, or with `offline`, the stored certificate checked with the stored keys and no network. */
export async function status(opts: { state: string; offline: boolean }): Promise<AgentResult> {
  const state = await activatedState(opts.state);
  const { activation } = state;
  if (opts.offline || activation.server === undefined) {
    const verdict = verifyCertificate(activation.certificate, activation.jwks, { product: activation.product, installationId: activation.installationId });
    if (!verdict.ok) throw unlicensed(`certificate_${verdict.problem}`, `The stored certificate is not valid: ${verdict.problem}`);
    return {
      exitCode: licensedExit(verdict.claims),
      data: { ...licenseData(verdict.claims), verified: true, ...usageScheduleData(activation), profile: profileData(activation) },
      lines: ['Certificate verified offline.', ...licenseLines(verdict.claims), ...usageScheduleLine(activation), ...profileLines(activation)],
    };
  }
  const { server, installationToken } = online(activation);
  const answer = await new LicensingClient(server).status(installationToken);
  return {
    exitCode: RUNNABLE_STATES.includes(answer.state) ? EXIT.ok : EXIT.unlicensed,
    data: { installationId: activation.installationId, product: activation.product, ...answer, ...usageScheduleData(activation), profile: profileData(activation) },
    lines: [
      `product:          ${activation.product}`,
      `installation:     ${activation.installationId}`,
      `state:            ${answer.state}`,
      `seats:            ${answer.used} used of ${answer.total}, ${answer.remaining} remaining`,
      `license expires:  ${answer.licenseExpiresAt}`,
      ...usageScheduleLine(activation),
      ...profileLines(activation),
      ...warningLines(answer.warnings),
    ],
  };
}

/**
 * The VM inventory to report, from a JSON file holding an array of entries. Only its shape as a
 * list is checked here: the server reads each entry and answers a warning for each it refuses.
 */
async function readVirtualMachines(file: string): Promise<VirtualMachineReport[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    throw new AgentFailure(EXIT.usage, 'usage', `Cannot read the virtual machines from ${file}: ${(err as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new AgentFailure(EXIT.usage, 'usage', `${file} must hold a JSON array of virtual machines`);
  return parsed as VirtualMachineReport[];
}

/**
 * Reports in, keeps the new certificate, and follows what the server asks: a deactivation ends the
 * activation here. The usage measured (`peak`, `current`) goes with the check-in only when the
 * server's schedule says a report is due, as a product's weekly report would.
 */
export async function checkIn(opts: { state: string; peak?: number | undefined; current?: number | undefined; vms?: string | undefined }): Promise<AgentResult> {
  const state = await activatedState(opts.state);
  const activation = online(state.activation);
  const client = new LicensingClient(activation.server);
  const body: CheckInRequest = activation.profile ? { profileHash: activation.profile.hash } : {};
  const measured = opts.peak !== undefined || opts.current !== undefined;
  const due = usageReportDue(activation, new Date());
  if (measured && due) {
    const peak = opts.peak ?? opts.current!;
    body.usage = { peak, current: opts.current ?? peak, measuredAt: new Date().toISOString() };
  }
  if (opts.vms !== undefined) body.virtualMachines = await readVirtualMachines(opts.vms);
  const answer = await client.checkIn(activation.installationToken, body);
  if (answer.action === 'deactivate') {
    await saveState(opts.state, { ...state, activation: null });
    return { exitCode: EXIT.unlicensed, data: { action: answer.action, installationId: activation.installationId }, lines: ['The server deactivated this installation.'] };
  }
  const { claims, jwks } = await verifiedClaims(client, answer.certificate, activation.jwks, { product: activation.product, installationId: activation.installationId });
  const profile = acceptedProfile(answer.profile, activation.profile, jwks, claims);
  // A server from before the schedule leaves it out: then the agent reports whenever it has usage.
  // After a conversion the certificate names the new edition, and the installation runs as it.
  const next: ActivationState = {
    ...activation,
    product: claims.aud,
    certificate: answer.certificate,
    nextCheckInAt: answer.nextCheckInAt,
    nextUsageReportAt: answer.nextUsageReportAt,
    jwks,
    ...withProfile(profile),
  };
  await saveState(opts.state, { ...state, activation: next });
  const usageReported = body.usage !== undefined;
  const usageLine = (text: string) => [`usage report:     ${text}`];
  const usageOutcome = usageReported
    ? usageLine('sent')
    : measured
      ? usageLine(activation.nextUsageReportAt === null ? 'not sent: this product takes no usage reports' : `not sent: not due until ${activation.nextUsageReportAt}`)
      : usageReportDue(next, new Date())
        ? usageLine('due: send it with --peak and --current')
        : [];
  const receivedPolicies = (answer.profile?.policies ?? []).map((p) => `, policy ${p.name} version ${p.version}`).join('');
  const received = answer.profile ? [`profile received: ${answer.profile.name}, version ${answer.profile.version}${receivedPolicies}`] : [];
  return {
    exitCode: licensedExit(claims),
    data: { ...licenseData(claims), action: answer.action, nextCheckInAt: answer.nextCheckInAt, ...usageScheduleData(next), usageReported, warnings: answer.warnings, profileReceived: answer.profile !== null },
    lines: [
      answer.action === 'reactivate' ? 'Checked in: moved to another license key.' : 'Checked in.',
      ...licenseLines(claims),
      ...received,
      `next check-in:    ${answer.nextCheckInAt}`,
      ...usageOutcome,
      ...usageScheduleLine(next),
      ...warningLines(answer.warnings),
    ],
  };
}

// What an update-license did, by the action the check-in brought.
const updateOutcome = { deactivate: 'deactivated', reactivate: 'moved', none: 'unchanged' } as const;
const updateHeadline = {
  deactivated: 'License updated: the portal deactivated this installation; its license is removed here.',
  moved: 'License updated: moved to another license key.',
  unchanged: 'License updated: nothing was pending.',
} as const;
// The server no longer licenses this installation: deactivated (from the portal, or its key deleted) or blacklisted.
const GONE = new Set(['installation_deactivated', 'installation_blacklisted']);

/**
 * `update-license` (the guides' `prlsrvctl update-license`): checks in now rather than at the next
 * scheduled time, so what the portal left pending takes effect at once. A pending deactivation
 * ends the activation here (the server frees the seat as it answers); a move brings the new key's
 * certificate. An installation the server already let go (blacklisted, or deactivated) forgets
 * its activation too, so the machine stops running on a license that no longer exists.
 */
export async function updateLicense(opts: { state: string }): Promise<AgentResult> {
  const state = await activatedState(opts.state);
  try {
    const result = await checkIn({ state: opts.state });
    const status = updateOutcome[result.data['action'] as keyof typeof updateOutcome];
    return { ...result, data: { status, ...result.data }, lines: [updateHeadline[status], ...result.lines.slice(1)] };
  } catch (err) {
    if (!(err instanceof LicensingError && GONE.has(err.code))) throw err;
    await saveState(opts.state, { ...state, activation: null });
    return {
      exitCode: EXIT.unlicensed,
      data: { status: 'deactivated', installationId: state.activation.installationId, reason: err.code },
      lines: [`License updated: ${err.message}; its license is removed here.`],
    };
  }
}

/** Gives the seat back and forgets the activation; the machine's identity stays for a later activation. */
export async function deactivate(opts: { state: string }): Promise<AgentResult> {
  const state = await activatedState(opts.state);
  const { server, installationToken } = online(state.activation);
  const answer = await new LicensingClient(server).deactivate(installationToken);
  await saveState(opts.state, { ...state, activation: null });
  return { exitCode: EXIT.ok, data: answer, lines: [`Deactivated installation ${answer.installationId}; its seat is free.`] };
}

export interface OfflineRequestOptions {
  state: string;
  kind: 'activation' | 'refresh' | 'deactivation';
  product?: string | undefined;
  key?: string | undefined;
  licenseType?: string | undefined;
  out?: string | undefined;
  name?: string | undefined;
  fingerprint?: string | undefined;
}

const usage = (message: string) => new AgentFailure(EXIT.usage, 'usage', message);

/**
 * Writes an offline request file for a machine with no network: an activation with a license key,
 * or a refresh or deactivation of this installation. Only the answer to the latest request is
 * applied later. A deactivation drops the license here at once; the seat is free when the file is
 * uploaded.
 */
export async function offlineRequest(opts: OfflineRequestOptions): Promise<AgentResult> {
  const kind = `${opts.kind}-request` as OfflineRequestKind;
  let identity: AgentState;
  let target: { product: string; licenseType?: string | undefined; installationId?: string };
  if (kind === 'activation-request') {
    if (opts.product === undefined || opts.key === undefined) throw usage('an activation request needs --product and --key');
    identity = (await loadState(opts.state)) ?? (await newIdentity(opts.fingerprint));
    if (opts.fingerprint !== undefined && opts.fingerprint !== identity.fingerprint) throw usage(`${opts.state} belongs to another machine (fingerprint ${identity.fingerprint})`);
    target = { product: opts.product, licenseType: opts.licenseType };
  } else {
    identity = await activatedState(opts.state);
    const { activation } = identity as AgentState & { activation: ActivationState };
    target = { product: activation.product, licenseType: activation.licenseType, installationId: activation.installationId };
  }
  const details = { ...describeMachine(), ...(opts.name !== undefined ? { name: opts.name } : {}) };
  let written: ReturnType<typeof writeOfflineRequest>;
  try {
    written = writeOfflineRequest(identity, { kind, ...target, licenseKey: opts.key, details });
  } catch (err) {
    if (err instanceof ZodError) throw usage(`the request cannot be written: ${err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    throw err;
  }
  const { text, pending } = written;
  if (opts.out !== undefined) await fs.writeFile(opts.out, text);
  const dropped = kind === 'deactivation-request';
  await saveState(opts.state, { ...identity, ...(dropped ? { activation: null } : {}), offlineRequest: pending });
  const next = dropped
    ? "This installation's license is dropped here; its seat is free once the file is uploaded in the portal (Offline Activation and Validation)."
    : 'Upload it in the portal (Offline Activation and Validation), then apply the file you get back with keyline agent offline-apply <file>.';
  return {
    exitCode: EXIT.ok,
    data: { kind, nonce: pending.nonce, ...(target.installationId ? { installationId: target.installationId } : {}), out: opts.out ?? null, file: text },
    lines: opts.out !== undefined ? [`Wrote the ${opts.kind} request to ${opts.out}.`, next] : [text.trimEnd()],
  };
}

async function readJwks(file: string): Promise<Jwks> {
  const text = await fs.readFile(file, 'utf8').catch(() => {
    throw usage(`cannot read ${file}`);
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = jwksSchema.safeParse(json);
  if (!parsed.success) throw usage(`${file} is not a JWK Set (the server's /.well-known/keyline/jwks.json)`);
  return parsed.data;
}

/**
 * Applies a file the portal gave for this machine, with no network: checked against the server's
 * public keys (from the state file, or --jwks for a machine that never reached the server) and
 * against the request written last, then its certificate is kept.
 */
export async function offlineApply(opts: { state: string; file: string; jwks?: string | undefined }): Promise<AgentResult> {
  const identity = await loadState(opts.state);
  if (!identity) throw usage(`${opts.state} does not exist: write a request with keyline agent offline-request first`);
  const jwks = opts.jwks !== undefined ? await readJwks(opts.jwks) : identity.activation?.jwks;
  if (!jwks) throw usage("this installation has no copy of the server's public keys: pass --jwks <file>");
  const text = await fs.readFile(opts.file, 'utf8').catch(() => {
    throw usage(`cannot read ${opts.file}`);
  });
  const checked = checkOfflineAnswer(text, identity, jwks);
  if (!checked.ok) throw unlicensed(`certificate_${checked.problem}`, `The certificate in this file does not verify: ${checked.problem}`);
  const { answer, claims } = checked;
  const pending = identity.offlineRequest!;
  const kept = identity.activation?.installationId === answer.installationId ? identity.activation : null;
  const profile = acceptedProfile(answer.profile, kept?.profile, jwks, claims);
  await saveState(opts.state, {
    ...identity,
    offlineRequest: null,
    activation: {
      ...kept,
      product: claims.aud,
      ...(pending.licenseType !== undefined ? { licenseType: pending.licenseType } : {}),
      installationId: answer.installationId,
      certificate: answer.certificate,
      nextCheckInAt: new Date(claims.exp * 1000).toISOString(),
      jwks,
      ...withProfile(profile),
    },
  });
  return {
    exitCode: licensedExit(claims),
    data: { ...licenseData(claims), kind: answer.kind },
    lines: [answer.kind === 'activation' ? 'Activated offline.' : 'License information refreshed offline.', ...licenseLines(claims)],
  };
}

/** Runs a command and turns every way it can fail into an exit code and a message. */
export async function runAgentCommand(command: () => Promise<AgentResult>): Promise<AgentResult> {
  try {
    return await command();
  } catch (err) {
    const failure =
      err instanceof AgentFailure
        ? err
        : err instanceof LicensingError
          ? new AgentFailure(EXIT.refused, err.code, err.message)
          : err instanceof ServerUnavailable
            ? new AgentFailure(EXIT.unreachable, 'server_unreachable', err.message)
            : err instanceof StateFileError
              ? new AgentFailure(EXIT.usage, 'state_file_invalid', err.message)
              : err instanceof AppError
                ? new AgentFailure(EXIT.refused, err.code, err.message)
                : null;
    if (!failure) throw err;
    return { exitCode: failure.exitCode, data: { error: { code: failure.code, message: failure.message } }, lines: [`${failure.code}: ${failure.message}`] };
  }
}
