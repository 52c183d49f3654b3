/**
 * The Keyline client library for licensed products: the protocol's types and closed error-code
 * list, an HTTP client, offline certificate verification and the installation's state file.
 */
export { LICENSE_STATES, RUNNABLE_STATES, WARNING_CODES, type CertificateClaims, type LicenseState, type Warning } from '../domain/certificate.js';
export * from '../domain/licensing-protocol.js';
export { isLicensed, verifyCertificate, type CertificateProblem, type Verification } from './certificate.js';
export { verifyConfiguration, type ConfigurationProblem } from './configuration.js';
export { LicensingClient, LicensingError, ServerUnavailable, type ClientOptions } from './licensing-client.js';
export { describeMachine, loadState, machineFingerprint, newIdentity, saveState, type AgentState } from './state.js';
