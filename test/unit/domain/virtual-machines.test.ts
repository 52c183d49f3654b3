import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  inventoryHash,
  LAST_USED_SKEW_MS,
  MAX_VM_TEXT,
  MAX_VMS_PER_INSTALLATION,
  readInventory,
  VM_ARCHITECTURES,
  VM_STATES,
} from '../../../src/domain/virtual-machines.js';

const now = new Date('2026-03-01T12:00:00Z');
const uuid = (n: number) => `0f8fad5b-d9cb-469f-a165-${n.toString(16).padStart(12, '0')}`;
const vm = (n: number, extra: Record<string, unknown> = {}) => ({
  uuid: uuid(n),
  name: `VM ${n}`,
  guestOs: 'Windows 11',
  state: 'running',
  architecture: 'arm64',
  lastUsedAt: '2026-03-01T11:00:00Z',
  ...extra,
});

describe('reading a reported VM inventory', () => {
  it('keeps good entries in the order they came, normalised', () => {
    const { accepted, warnings } = readInventory(
      [vm(1, { uuid: `{${uuid(1).toUpperCase()}}`, name: '  Build box ', state: 'Suspended', architecture: 'AARCH64' }), vm(2, { guestOs: undefined, lastUsedAt: null })],
      now,
    );
    expect(warnings).toEqual([]);
    expect(accepted).toEqual([
      { uuid: uuid(1), name: 'Build box', guestOs: 'Windows 11', state: 'suspended', architecture: 'arm64', lastUsedAt: new Date('2026-03-01T11:00:00Z') },
      { uuid: uuid(2), name: 'VM 2', guestOs: null, state: 'running', architecture: 'arm64', lastUsedAt: null },
    ]);
  });

  it('reads every state and architecture it names, and the other spellings of an architecture', () => {
    for (const state of VM_STATES) expect(readInventory([vm(1, { state })], now).accepted[0]?.state).toBe(state);
    for (const architecture of VM_ARCHITECTURES) expect(readInventory([vm(1, { architecture })], now).accepted[0]?.architecture).toBe(architecture);
    const spelled: [string, string][] = [['amd64', 'x86_64'], ['x64', 'x86_64'], ['i386', 'x86'], ['i686', 'x86'], ['ARM64', 'arm64']];
    for (const [given, read] of spelled) expect(readInventory([vm(1, { architecture: given })], now).accepted[0]?.architecture).toBe(read);
  });

  it('ignores fields it does not know, so a newer product keeps reporting to an older server', () => {
    expect(readInventory([vm(1, { encrypted: true })], now).accepted).toHaveLength(1);
  });

  it('refuses each bad entry alone, naming its number from 1 and what is wrong in words, and keeps the others', () => {
    const cases: [unknown, RegExp][] = [
      ['a string', /not an object/],
      [null, /not an object/],
      [[1], /not an object/],
      [vm(9, { uuid: undefined }), /has no uuid/],
      [vm(9, { uuid: 'not-a-uuid' }), /uuid is not a UUID/],
      [vm(9, { uuid: `{${uuid(9)}` }), /uuid is not a UUID/],
      [vm(9, { uuid: uuid(9).replaceAll('-', '') }), /uuid is not a UUID/],
      [vm(9, { uuid: 42 }), /uuid is not a UUID/],
      [vm(9, { uuid: '00000000-0000-0000-0000-000000000000' }), /nil UUID/],
      [vm(9, { name: undefined }), /has no name/],
      [vm(9, { name: '   ' }), /name is empty/],
      [vm(9, { name: 7 }), /name is not text/],
      [vm(9, { name: 'x'.repeat(MAX_VM_TEXT + 1) }), /name is longer than 200 characters/],
      [vm(9, { guestOs: 3 }), /guest OS is not text/],
      [vm(9, { guestOs: 'y'.repeat(MAX_VM_TEXT + 1) }), /guest OS is longer/],
      [vm(9, { state: undefined }), /has no state/],
      [vm(9, { state: 'starting' }), /state is not one of running, paused, suspended, stopped/],
      [vm(9, { state: 1 }), /state is not one of/],
      [vm(9, { architecture: undefined }), /has no architecture/],
      [vm(9, { architecture: 'sparc' }), /architecture is not one of x86_64, arm64, x86/],
      [vm(9, { architecture: ['arm64'] }), /architecture is not one of/],
      [vm(9, { architecture: 'constructor' }), /architecture is not one of/],
      [vm(9, { state: 'toString' }), /state is not one of/],
      [vm(9, { lastUsedAt: 'yesterday' }), /lastUsedAt is not an ISO 8601/],
      [vm(9, { lastUsedAt: '2026-03-01' }), /lastUsedAt is not an ISO 8601/],
      [vm(9, { lastUsedAt: '2026-03-01T11:00:00' }), /lastUsedAt is not an ISO 8601/],
      [vm(9, { lastUsedAt: '2026-02-30T11:00:00Z' }), /lastUsedAt is not an ISO 8601/],
      [vm(9, { lastUsedAt: 1_700_000_000 }), /lastUsedAt is not an ISO 8601/],
      [vm(9, { lastUsedAt: new Date(now.getTime() + LAST_USED_SKEW_MS + 1000).toISOString() }), /lastUsedAt lies in the future/],
    ];
    for (const [entry, problem] of cases) {
      const { accepted, warnings } = readInventory([vm(1), entry, vm(3)], now);
      expect(accepted.map((v) => v.uuid), JSON.stringify(entry)).toEqual([uuid(1), uuid(3)]);
      expect(warnings, JSON.stringify(entry)).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ code: 'virtual_machine_refused', entry: 2 });
      expect(warnings[0]!.message, JSON.stringify(entry)).toMatch(/^Virtual machine 2\b.* was not recorded: /);
      expect(warnings[0]!.message, JSON.stringify(entry)).toMatch(problem);
    }
  });

  it('names a refused entry by its name when it has one', () => {
    expect(readInventory([vm(1, { state: 'starting', name: 'Build box' })], now).warnings[0]!.message).toBe(
      'Virtual machine 1 (Build box) was not recorded: its state is not one of running, paused, suspended, stopped.',
    );
  });

  it('takes a last use within the clock skew ahead as it is', () => {
    const ahead = new Date(now.getTime() + LAST_USED_SKEW_MS);
    expect(readInventory([vm(1, { lastUsedAt: ahead.toISOString() })], now).accepted[0]?.lastUsedAt).toEqual(ahead);
    expect(readInventory([vm(1, { lastUsedAt: '2026-03-01T14:30:00+02:00' })], now).accepted[0]?.lastUsedAt).toEqual(new Date('2026-03-01T12:30:00Z'));
  });

  it('keeps the first of entries sharing a uuid, whatever its case or braces, and refuses the others', () => {
    const { accepted, warnings } = readInventory([vm(1), vm(2), vm(1, { uuid: uuid(1).toUpperCase(), name: 'Copy' }), vm(1, { uuid: `{${uuid(1)}}` })], now);
    expect(accepted.map((v) => v.name)).toEqual(['VM 1', 'VM 2']);
    expect(warnings.map((w) => [w.entry, w.message])).toEqual([
      [3, 'Virtual machine 3 (Copy) was not recorded: its uuid is the one of virtual machine 1.'],
      [4, 'Virtual machine 4 (VM 1) was not recorded: its uuid is the one of virtual machine 1.'],
    ]);
  });

  it(`keeps at most ${MAX_VMS_PER_INSTALLATION} entries and refuses the rest together`, () => {
    const full = Array.from({ length: MAX_VMS_PER_INSTALLATION }, (_, i) => vm(i + 1));
    expect(readInventory(full, now)).toMatchObject({ warnings: [] });
    expect(readInventory(full, now).accepted).toHaveLength(MAX_VMS_PER_INSTALLATION);
    const one = readInventory([...full, vm(999)], now);
    expect(one.accepted).toHaveLength(MAX_VMS_PER_INSTALLATION);
    expect(one.warnings).toEqual([
      { code: 'virtual_machines_over_limit', entry: 201, message: 'Virtual machine 201 was not recorded: an installation reports at most 200 virtual machines.' },
    ]);
    const many = readInventory([...full, ...Array.from({ length: 50 }, (_, i) => vm(1000 + i)), 'junk'], now);
    expect(many.accepted).toHaveLength(MAX_VMS_PER_INSTALLATION);
    expect(many.warnings.map((w) => w.message)).toEqual(['Virtual machines 201 to 251 were not recorded: an installation reports at most 200 virtual machines.']);
  });

  it('counts refused entries towards the bound', () => {
    const { accepted, warnings } = readInventory([...Array.from({ length: MAX_VMS_PER_INSTALLATION }, () => 'junk'), vm(1)], now);
    expect(accepted).toEqual([]);
    expect(warnings.at(-1)?.code).toBe('virtual_machines_over_limit');
  });

  it('never throws, whatever an entry holds', () => {
    fc.assert(
      fc.property(fc.array(fc.anything(), { maxLength: 20 }), (entries) => {
        const { accepted, warnings } = readInventory(entries, now);
        expect(accepted.length + warnings.length).toBe(entries.length);
      }),
    );
  });
});

describe('the inventory hash', () => {
  const read = (entries: unknown[]) => readInventory(entries, now).accepted;

  it('does not depend on the order the VMs came in, nor on how a uuid was spelled', () => {
    expect(inventoryHash(read([vm(1), vm(2)]))).toBe(inventoryHash(read([vm(2), vm(1, { uuid: uuid(1).toUpperCase() })])));
  });

  it('changes with any field of any VM, and with a VM more or less', () => {
    const base = inventoryHash(read([vm(1), vm(2)]));
    const changed = [
      [vm(1, { name: 'Other' }), vm(2)],
      [vm(1, { guestOs: 'macOS 15' }), vm(2)],
      [vm(1, { guestOs: null }), vm(2)],
      [vm(1, { state: 'stopped' }), vm(2)],
      [vm(1, { architecture: 'x86_64' }), vm(2)],
      [vm(1, { lastUsedAt: '2026-03-01T11:00:01Z' }), vm(2)],
      [vm(1, { lastUsedAt: null }), vm(2)],
      [vm(1)],
      [vm(1), vm(2), vm(3)],
      [],
    ];
    const hashes = changed.map((entries) => inventoryHash(read(entries)));
    for (const h of hashes) expect(h).not.toBe(base);
    expect(new Set(hashes).size).toBe(hashes.length);
  });
});
