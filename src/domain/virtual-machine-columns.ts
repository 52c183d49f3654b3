/** The catalog feature of the products whose installations keep a VM inventory (desktop Enterprise); the portal shows the list for it. */
export const VM_INVENTORY_FEATURE = 'vm_inventory';

/**
 * The virtual machine list's columns as the portal names them; the CSV export heads its columns
 * with the same names, so a file reads like the screen it was exported from.
 */
export const VM_COLUMN_LABELS = {
  name: 'Name',
  guestOs: 'Guest OS',
  state: 'State',
  architecture: 'Architecture',
  lastUsedAt: 'Last used',
  installation: 'Installation',
  key: 'License key',
  uuid: 'UUID',
} as const;

export type VmColumn = keyof typeof VM_COLUMN_LABELS;

/** A VM's state as a person reads it, on the screen and in the export alike. */
export function vmStateLabel(state: string): string {
  return state.charAt(0).toUpperCase() + state.slice(1);
}

/** The installation a VM runs on, by the name the installations list shows first (its alias). */
export function installationLabel(i: { alias: string | null; name: string | null }): string {
  return i.alias ?? i.name ?? 'Unnamed installation';
}
