/** What the account's members can do to installations from the portal, one or many at a time. */
export const INSTALLATION_ACTIONS = ['deactivate', 'blacklist', 'unblacklist', 'move'] as const;
export type InstallationAction = (typeof INSTALLATION_ACTIONS)[number];

export interface InstallationFacts {
  state: 'active' | 'deactivated';
  blacklisted: boolean;
  pendingAction: 'deactivate' | 'move' | null;
  /** Whether the installation's license key still exists (a blacklisting is per key). */
  onKey: boolean;
}

/**
 * Whether an action would change the installation, so that the portal offers it only then: an
 * active machine not already waiting to deactivate can be deactivated or moved, a machine on a
 * key can be blacklisted unless it already is, and only a blacklisted one removed from the
 * blacklist. The server refuses or ignores the others per installation.
 */
export function actionApplies(action: InstallationAction, installation: InstallationFacts): boolean {
  switch (action) {
    case 'deactivate':
      return installation.state === 'active' && installation.pendingAction !== 'deactivate';
    case 'move':
      return installation.state === 'active';
    case 'blacklist':
      return installation.onKey && !installation.blacklisted;
    case 'unblacklist':
      return installation.blacklisted;
  }
}
