import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Warning } from './certificate.js';

/**
 * The virtual machine inventory an installation reports at check-in (PRODUCT.md capability 10,
 * PROTOCOL.md "Virtual machine inventory"). One bad entry never costs the others: each entry is
 * read on its own, the good ones are kept and each bad one is refused with a warning naming it.
 */

/** The states Parallels Desktop shows a VM in; anything else (a transition such as "starting") is not a state to keep. */
export const VM_STATES = ['running', 'paused', 'suspended', 'stopped'] as const;
export type VmState = (typeof VM_STATES)[number];

/**
 * The guest's CPU architecture (an Apple Silicon Mac runs arm64 guests, an Intel Mac x86_64 or
 * x86 ones). The other spellings products use for the same thing are read as these.
 */
export const VM_ARCHITECTURES = ['x86_64', 'arm64', 'x86'] as const;
export type VmArchitecture = (typeof VM_ARCHITECTURES)[number];
const ARCHITECTURE_SPELLINGS = new Map<string, VmArchitecture>([
  ['x86_64', 'x86_64'],
  ['amd64', 'x86_64'],
  ['x64', 'x86_64'],
  ['arm64', 'arm64'],
  ['aarch64', 'arm64'],
  ['x86', 'x86'],
  ['i386', 'x86'],
  ['i686', 'x86'],
]);

/** How many VMs one installation's inventory holds; entries after these are refused together. */
export const MAX_VMS_PER_INSTALLATION = 200;
/** A VM's last use may lie this far ahead of the server's clock: the host's clock can be off. */
export const LAST_USED_SKEW_MS = 60 * 60 * 1000;
export const MAX_VM_TEXT = 200;

export interface VirtualMachine {
  /** Lowercase, without braces: the form two spellings of one VM compare equal in. */
  uuid: string;
  name: string;
  guestOs: string | null;
  state: VmState;
  architecture: VmArchitecture;
  lastUsedAt: Date | null;
}

export interface InventoryReading {
  accepted: VirtualMachine[];
  warnings: Warning[];
}

// RFC 4122 text: 32 hex digits in groups of 8-4-4-4-12, optionally in braces as Parallels writes them.
const UUID_TEXT = /^(\{)?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(\})?$/i;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';
// An ISO 8601 date and time with an offset, as every other time of the protocol.
const isoTime = z.iso.datetime({ offset: true });

type Field<T> = { ok: true; value: T } | { ok: false; problem: string };
const ok = <T>(value: T): Field<T> => ({ ok: true, value });
const bad = (problem: string): Field<never> => ({ ok: false, problem });

function text(value: unknown, what: string, required: true): Field<string>;
function text(value: unknown, what: string, required: false): Field<string | null>;
function text(value: unknown, what: string, required: boolean): Field<string | null> {
  if (value === undefined || value === null) return required ? bad(`it has no ${what}`) : ok(null);
  if (typeof value !== 'string') return bad(`its ${what} is not text`);
  const trimmed = value.trim();
  if (trimmed.length === 0) return required ? bad(`its ${what} is empty`) : ok(null);
  if (trimmed.length > MAX_VM_TEXT) return bad(`its ${what} is longer than ${MAX_VM_TEXT} characters`);
  return ok(trimmed);
}

function uuidOf(value: unknown): Field<string> {
  if (value === undefined || value === null) return bad('it has no uuid');
  const m = typeof value === 'string' ? UUID_TEXT.exec(value.trim()) : null;
  if (!m || (m[1] === undefined) !== (m[3] === undefined)) return bad('its uuid is not a UUID (RFC 4122 text such as 0f8fad5b-d9cb-469f-a165-70867728950e)');
  const uuid = m[2]!.toLowerCase();
  return uuid === NIL_UUID ? bad('its uuid is the nil UUID, which names no machine') : ok(uuid);
}

function stateOf(value: unknown): Field<VmState> {
  if (value === undefined || value === null) return bad('it has no state');
  const state = typeof value === 'string' ? value.trim().toLowerCase() : value;
  return (VM_STATES as readonly unknown[]).includes(state) ? ok(state as VmState) : bad(`its state is not one of ${VM_STATES.join(', ')}`);
}

function architectureOf(value: unknown): Field<VmArchitecture> {
  if (value === undefined || value === null) return bad('it has no architecture');
  const known = typeof value === 'string' ? ARCHITECTURE_SPELLINGS.get(value.trim().toLowerCase()) : undefined;
  return known ? ok(known) : bad(`its architecture is not one of ${VM_ARCHITECTURES.join(', ')}`);
}

function lastUsedOf(value: unknown, now: Date): Field<Date | null> {
  if (value === undefined || value === null) return ok(null);
  const time = isoTime.safeParse(value).success ? new Date(value as string) : null;
  if (!time) return bad('its lastUsedAt is not an ISO 8601 date and time with an offset');
  if (time.getTime() > now.getTime() + LAST_USED_SKEW_MS) return bad('its lastUsedAt lies in the future');
  return ok(time);
}

/** One entry as it came, checked field by field; the first problem found is the one told. */
function readEntry(entry: unknown, now: Date): Field<VirtualMachine> {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return bad('it is not an object');
  // Fields a later product adds are ignored, so an older server keeps taking its inventory.
  const e = entry as Record<string, unknown>;
  const uuid = uuidOf(e['uuid']);
  if (!uuid.ok) return uuid;
  const name = text(e['name'], 'name', true);
  if (!name.ok) return name;
  const guestOs = text(e['guestOs'], 'guest OS', false);
  if (!guestOs.ok) return guestOs;
  const state = stateOf(e['state']);
  if (!state.ok) return state;
  const architecture = architectureOf(e['architecture']);
  if (!architecture.ok) return architecture;
  const lastUsedAt = lastUsedOf(e['lastUsedAt'], now);
  if (!lastUsedAt.ok) return lastUsedAt;
  return ok({ uuid: uuid.value, name: name.value, guestOs: guestOs.value, state: state.value, architecture: architecture.value, lastUsedAt: lastUsedAt.value });
}

const refused = (entry: number, why: string, name?: string): Warning => ({
  code: 'virtual_machine_refused',
  entry,
  message: `Virtual machine ${entry}${name ? ` (${name})` : ''} was not recorded: ${why}.`,
});

const nameIn = (entry: unknown): string | undefined => {
  const name = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>)['name'] : undefined;
  return typeof name === 'string' && name.trim().length > 0 ? name.trim().slice(0, MAX_VM_TEXT) : undefined;
};

/**
 * Reads a reported inventory: the good entries in the order they came, and a warning for each
 * bad one (numbered from 1) and one for all entries past the bound. Of entries sharing a uuid the
 * first is kept.
 */
export function readInventory(entries: readonly unknown[], now: Date): InventoryReading {
  const accepted: VirtualMachine[] = [];
  const warnings: Warning[] = [];
  const firstWith = new Map<string, number>();
  entries.slice(0, MAX_VMS_PER_INSTALLATION).forEach((entry, i) => {
    const number = i + 1;
    const read = readEntry(entry, now);
    if (!read.ok) return void warnings.push(refused(number, read.problem, nameIn(entry)));
    const earlier = firstWith.get(read.value.uuid);
    if (earlier !== undefined) return void warnings.push(refused(number, `its uuid is the one of virtual machine ${earlier}`, read.value.name));
    firstWith.set(read.value.uuid, number);
    accepted.push(read.value);
  });
  if (entries.length > MAX_VMS_PER_INSTALLATION) {
    const first = MAX_VMS_PER_INSTALLATION + 1;
    const which = entries.length === first ? `Virtual machine ${first} was` : `Virtual machines ${first} to ${entries.length} were`;
    warnings.push({
      code: 'virtual_machines_over_limit',
      entry: first,
      message: `${which} not recorded: an installation reports at most ${MAX_VMS_PER_INSTALLATION} virtual machines.`,
    });
  }
  return { accepted, warnings };
}

/**
 * A digest of an inventory that does not depend on the order the VMs came in: a check-in whose
 * inventory has the digest stored already changes nothing and writes nothing.
 */
export function inventoryHash(vms: readonly VirtualMachine[]): string {
  const canonical = [...vms]
    .sort((a, b) => (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0))
    .map((vm) => [vm.uuid, vm.name, vm.guestOs, vm.state, vm.architecture, vm.lastUsedAt?.toISOString() ?? null]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url');
}
