import { describe, expect, it } from 'vitest';
import { INSTALLATION_COLUMN_LABELS, installationStateLabel, pendingActionLabel } from '../../../src/domain/installation-columns.js';

describe("an installation's state in words", () => {
  it('is Blacklisted for a blacklisted machine whatever its seat state, else Active or Deactivated', () => {
    expect(installationStateLabel({ state: 'deactivated', blacklisted: true })).toBe('Blacklisted');
    expect(installationStateLabel({ state: 'active', blacklisted: true })).toBe('Blacklisted');
    expect(installationStateLabel({ state: 'active', blacklisted: false })).toBe('Active');
    expect(installationStateLabel({ state: 'deactivated', blacklisted: false })).toBe('Deactivated');
  });

  it('says what waits for the next check-in, and nothing when nothing does', () => {
    expect(pendingActionLabel('deactivate')).toBe('deactivates at next check-in');
    expect(pendingActionLabel('move')).toBe('moves at next check-in');
    expect(pendingActionLabel(null)).toBeNull();
  });
});

describe('the column names', () => {
  it('are words a person reads, each used once', () => {
    const labels = Object.values(INSTALLATION_COLUMN_LABELS);
    expect(new Set(labels).size).toBe(labels.length);
    for (const label of labels) expect(label).toMatch(/^[A-Z][A-Za-z ]+$/);
    expect(INSTALLATION_COLUMN_LABELS.lastContactAt).toBe('Last contact');
    expect(INSTALLATION_COLUMN_LABELS.macAddresses).toBe('MAC address');
  });
});
