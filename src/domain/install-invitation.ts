/**
 * Invitations to install (capability 8): each invited address gets its own temporary activation
 * code for one license key. A code activates one installation, until it expires or is revoked.
 */
export const INSTALL_INVITATION_STATUSES = ['pending', 'used', 'expired', 'revoked'] as const;
export type InstallInvitationStatus = (typeof INSTALL_INVITATION_STATUSES)[number];

interface CodeLife {
  used_at: Date | null;
  revoked_at: Date | null;
  expires_at: Date;
}

/** Use and revocation are final; an invitation that is neither is pending until it expires. */
export function installInvitationStatus(i: CodeLife, now: Date): InstallInvitationStatus {
  if (i.used_at) return 'used';
  if (i.revoked_at) return 'revoked';
  return i.expires_at > now ? 'pending' : 'expired';
}

export type CodeUse = { ok: true } | { ok: false; code: 'code_expired' | 'code_used'; reason: 'used' | 'revoked' | 'expired' };

/**
 * Whether a code may activate this machine now. A used code works again only for the machine it
 * activated while that installation is still active: a retry gets its installation back, nobody
 * gets a second seat.
 */
export function checkCodeUse(i: CodeLife, usedBy: { fingerprint: string; active: boolean } | null, fingerprint: string, now: Date): CodeUse {
  switch (installInvitationStatus(i, now)) {
    case 'used':
      return usedBy?.active && usedBy.fingerprint === fingerprint ? { ok: true } : { ok: false, code: 'code_used', reason: 'used' };
    case 'revoked':
      return { ok: false, code: 'code_expired', reason: 'revoked' };
    case 'expired':
      return { ok: false, code: 'code_expired', reason: 'expired' };
    case 'pending':
      return { ok: true };
  }
}

/**
 * Where an invited person downloads a product: the server's downloads page of the product, with
 * the code in the link so the installer can activate by itself (each person's link is their own).
 */
export function downloadLink(publicUrl: string, productCode: string, code: string): string {
  return `${publicUrl}/downloads/${encodeURIComponent(productCode)}?activationCode=${encodeURIComponent(code)}`;
}
