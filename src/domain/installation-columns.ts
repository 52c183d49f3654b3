/**
 * The installation list's columns as the portal names them. The CSV export heads its columns with
 * the same names, so a file reads like the screen it was exported from.
 */
export const INSTALLATION_COLUMN_LABELS = {
  name: 'Computer name',
  alias: 'Alias',
  state: 'State',
  blacklisted: 'Blacklisted',
  product: 'Product',
  licenseType: 'License type',
  key: 'License key',
  profile: 'Configuration profile',
  subscriptionId: 'Subscription',
  version: 'App version',
  hostOs: 'Host OS',
  userName: 'User',
  activatedAt: 'Activated',
  activatedBy: 'Activated by',
  lastContactAt: 'Last contact',
  licenseExpiresAt: 'License expires',
  usagePeak: 'Usage peak',
  usageCurrent: 'Usage now',
  pendingAction: 'Pending action',
  notes: 'Notes',
  serialNumber: 'Serial number',
  macAddresses: 'MAC address',
  ipAddresses: 'IP address',
  siteCode: 'Site',
} as const;

export type InstallationColumn = keyof typeof INSTALLATION_COLUMN_LABELS;

/** The export's first column, which the screen does not show: what a row is acted on by. */
export const INSTALLATION_ID_LABEL = 'Installation ID';

/**
 * An installation's state as a person reads it, on the screen and in the export alike: a
 * blacklisted machine is Blacklisted (blacklisting also deactivated it), as the list's filter has it.
 */
export function installationStateLabel(installation: { state: 'active' | 'deactivated'; blacklisted: boolean }): 'Active' | 'Deactivated' | 'Blacklisted' {
  if (installation.blacklisted) return 'Blacklisted';
  return installation.state === 'active' ? 'Active' : 'Deactivated';
}

/** What the portal left pending for the installation's next check-in, in words. */
export function pendingActionLabel(action: 'deactivate' | 'move' | null): string | null {
  if (action === null) return null;
  return action === 'move' ? 'moves at next check-in' : 'deactivates at next check-in';
}
