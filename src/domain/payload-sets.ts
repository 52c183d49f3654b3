import { invalidInput, type InputIssue } from './errors.js';
import { checkPayload, configurationHash, effectiveConfiguration, type Payload, type PayloadType } from './payloads.js';

/**
 * A payload set: the named set of payloads of one product that a configuration profile
 * (capability 9) and a policy (capability 10) both are. They are checked, hashed and versioned by
 * the same rules, here, so that a profile and a policy of the same payloads always agree.
 */

/** What a payload set delivers on its own, as its hash says: its enabled payloads, nothing laid over them. */
export function payloadSetHash(payloads: readonly Payload[]): string {
  return configurationHash(effectiveConfiguration(payloads, []));
}

/**
 * A set's payloads as the request sent them, each checked against its product's types, or every
 * problem at its place in the request (`payloads.<n>.settings.<key>`), so a form can mark the
 * field. A type appears once in a set: two would leave which one applies to chance.
 */
export function checkPayloadSet(types: readonly PayloadType[], payloads: readonly { type: string; enabled: boolean; settings: unknown }[]): Payload[] {
  const issues: InputIssue[] = [];
  const kept: Payload[] = [];
  const seen = new Set<string>();
  payloads.forEach((payload, n) => {
    if (seen.has(payload.type)) {
      issues.push({ path: `payloads.${n}.type`, message: 'is there already: a payload type appears once' });
      return;
    }
    seen.add(payload.type);
    const verdict = checkPayload(types, payload);
    if (verdict.ok) kept.push(verdict.payload);
    else issues.push({ path: ['payloads', n, ...verdict.path].join('.'), message: verdict.message });
  });
  if (issues.length > 0) throw invalidInput(issues);
  return kept;
}

/** A set's version counts what it delivers: a change to that is a new version, a rename or a change to a disabled payload is not. */
export function nextVersion(current: { version: number; contentHash: string }, newHash: string): number {
  return newHash === current.contentHash ? current.version : current.version + 1;
}
