import { answer, api, type Schemas } from './api';
import { formatDate } from './format';
import type { useListAction } from './ui';

/** What an invitations table knows of an emailed invitation, member invitations and invitations to install alike. */
type SentInvitation = Pick<Schemas['Invitation'] | Schemas['InstallInvitation'], 'id' | 'email' | 'sentCount' | 'lastSentAt'>;

/** When an invitation was last emailed, how many times once it was more than once, and who sent it. */
export function SentCell({ invitation, by }: { invitation: SentInvitation; by: string | null }) {
  return (
    <>
      {formatDate(invitation.lastSentAt)}
      {invitation.sentCount > 1 && <span className="muted small"> ({invitation.sentCount} times)</span>}
      {by && <div className="muted small">by {by}</div>}
    </>
  );
}

/**
 * "Send again" and "Revoke" for an open invitation of the account's `collection`, each
 * named by the invited address; the list reloads after either, or shows the refusal. One above
 * the other in a wide table, so the invitations table fits a laptop's width.
 */
export function InvitationActions({ accountId, collection, invitation, action }: { accountId: string; collection: 'invitations' | 'install-invitations'; invitation: SentInvitation; action: ReturnType<typeof useListAction> }) {
  const path = { params: { path: { accountId, invitationId: invitation.id } } };
  return (
    <div className="link-actions">
      <button type="button" className="button link" aria-label={`Send again to ${invitation.email}`} onClick={() => action.run(() => answer(api.POST(`/api/v1/accounts/{accountId}/${collection}/{invitationId}/resend`, path)))}>
        Send again
      </button>
      <button type="button" className="button link danger-text" aria-label={`Revoke the invitation of ${invitation.email}`} onClick={() => action.run(() => answer(api.DELETE(`/api/v1/accounts/{accountId}/${collection}/{invitationId}`, path)))}>
        Revoke
      </button>
    </div>
  );
}
