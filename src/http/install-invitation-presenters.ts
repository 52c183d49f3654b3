import { z } from 'zod';
import { INSTALL_INVITATION_STATUSES } from '../domain/install-invitation.js';
import { INVITATION_LANGUAGES } from '../mail/templates.js';
import type { InstallInvitationView } from '../services/install-invitations/invite-to-install.js';
import { iso, presentSending, sendingFields } from './presenters.js';

export const installInvitationSchema = z
  .object({
    id: z.string(),
    keyId: z.string(),
    keyName: z.string(),
    email: z.string(),
    language: z.enum(INVITATION_LANGUAGES),
    code: z.string().meta({ description: 'The temporary activation code this person got (not the license key)' }),
    downloadLinks: z.array(z.string()).meta({ description: "One per product of the key, carrying the person's code" }),
    status: z.enum(INSTALL_INVITATION_STATUSES),
    expiresAt: z.string(),
    usedAt: z.string().nullable(),
    installationId: z.string().nullable().meta({ description: 'The installation the code activated' }),
    revokedAt: z.string().nullable(),
    createdBy: z.string().nullable().meta({ description: 'Email of who sent it first' }),
    createdAt: z.string(),
    ...sendingFields,
  })
  .meta({ id: 'InstallInvitation' });

export function presentInstallInvitation(i: InstallInvitationView): z.infer<typeof installInvitationSchema> {
  return {
    id: i.id,
    keyId: i.license_key_id,
    keyName: i.key_name,
    email: i.email,
    language: i.language,
    code: i.code_text,
    downloadLinks: i.downloadLinks,
    status: i.status,
    expiresAt: i.expires_at.toISOString(),
    usedAt: iso(i.used_at),
    installationId: i.installation_id,
    revokedAt: iso(i.revoked_at),
    createdBy: i.created_by_email,
    createdAt: i.created_at.toISOString(),
    ...presentSending(i),
  };
}
