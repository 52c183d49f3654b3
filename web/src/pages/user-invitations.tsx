import { answer, api, csvBody, type Query } from '../api';
import { DataTable } from '../data-table';
import { daysRule, EmailSourceField, InvitationForm, LanguageField, SentSummary, useEmailSource, type Language } from '../email-list';
import { FormError, SelectField, TextAreaField, TextField, useForm } from '../forms';
import { formatDate, ROLE_LABELS } from '../format';
import { InvitationActions, SentCell } from '../invitation-rows';
import { useKeptState } from '../kept';
import { Dialog, DialogActions, Load, useListAction, useLoad } from '../ui';

type Options = Query<'post', '/api/v1/accounts/{accountId}/invitations/csv'>;

/** Invite people to join the business account: typed addresses or a CSV file, a role, a language and a lifetime. */
export function InviteMembers({ accountId, onInvited }: { accountId: string; onInvited(): void }) {
  const emails = useEmailSource();
  // Open again after a reload when it was open: a half-written invitation shows where it was left.
  const [open, setOpen] = useKeptState('invite-members:open', false);
  const form = useForm({ emails: '', role: 'member', language: 'en', expiresInDays: '14' }, { emails: emails.rule, expiresInDays: daysRule }, { draft: `invite-members:${accountId}` });
  const path = { accountId };
  return (
    <details className="panel invite-panel" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        <h2>Invite members</h2>
      </summary>
      <InvitationForm
        form={form}
        emails={emails}
        senders={(v) => {
          const options: Options = { role: v.role as Options['role'], language: v.language as Language, expiresInDays: Number(v.expiresInDays) };
          return {
            typed: (list) => answer(api.POST('/api/v1/accounts/{accountId}/invitations', { params: { path }, body: { ...options, emails: list } })),
            file: (csv) => answer(api.POST('/api/v1/accounts/{accountId}/invitations/csv', { params: { path, query: options }, ...csvBody(csv) })),
          };
        }}
        onSent={onInvited}
      >
        <EmailSourceField field={form.field('emails')} source={emails} />
        <div className="row">
          <SelectField label="Role" field={form.field('role')}>
            <option value="member">{ROLE_LABELS.member}</option>
            <option value="admin">{ROLE_LABELS.admin}</option>
          </SelectField>
          <LanguageField field={form.field('language')} />
          <TextField label="Link valid for (days)" type="number" inputMode="numeric" min={1} max={90} field={form.field('expiresInDays')} />
        </div>
      </InvitationForm>
      {emails.sent && <SentSummary sent={emails.sent} level="h3" />}
    </details>
  );
}

/** The invitations nobody answered yet: send again or revoke. */
export function OpenInvitations({ accountId, version }: { accountId: string; version: number }) {
  const [state, reload] = useLoad(() => answer(api.GET('/api/v1/accounts/{accountId}/invitations', { params: { path: { accountId }, query: { state: 'pending', limit: 100 } } })), [accountId, version]);
  const action = useListAction(reload);
  return (
    <>
      <h2 id="open-invitations-title">Open invitations</h2>
      <FormError message={action.error} />
      <Load state={state} retry={reload} label="the invitations">
        {({ items }) =>
          items.length === 0 ? (
            <p className="muted">No invitation is waiting for an answer.</p>
          ) : (
            <DataTable
              labelledBy="open-invitations-title"
              rows={items}
              rowKey={(i) => i.id}
              columns={[
                { header: 'Email', className: 'wrap', cell: (i) => i.email },
                { header: 'Role', cell: (i) => ROLE_LABELS[i.role] },
                { header: 'Expires', cell: (i) => formatDate(i.expiresAt) },
                { header: 'Sent', className: 'wrap', cell: (i) => <SentCell invitation={i} by={i.invitedBy} /> },
              ]}
              actions={(i) => <InvitationActions accountId={accountId} collection="invitations" invitation={i} action={action} />}
            />
          )
        }
      </Load>
    </>
  );
}

/** Notes on a member, seen only by the account's administrators. */
export function MemberNotes({ accountId, member, onClose, onSaved }: { accountId: string; member: { userId: string; email: string; notes: string }; onClose(): void; onSaved(): void }) {
  return (
    <Dialog title={`Notes on ${member.email}`} onClose={onClose}>
      <MemberNotesForm accountId={accountId} member={member} onClose={onClose} onSaved={onSaved} />
    </Dialog>
  );
}

/** Inside the dialog, so that the draft lasts until the dialog closes. */
function MemberNotesForm({ accountId, member, onClose, onSaved }: { accountId: string; member: { userId: string; notes: string }; onClose(): void; onSaved(): void }) {
  const form = useForm({ notes: member.notes }, { notes: (v) => (v.length > 2000 ? 'must be at most 2000 characters' : null) }, { draft: `member-notes:${member.userId}` });
  return (
    <form
      noValidate
      onSubmit={form.submit(async ({ notes }) => {
        await answer(api.PATCH('/api/v1/accounts/{accountId}/members/{userId}', { params: { path: { accountId, userId: member.userId } }, body: { notes } }));
        onSaved();
      })}
    >
      <FormError message={form.formError} />
      <TextAreaField label="Notes" rows={4} hint="Only administrators see them." field={form.field('notes')} />
      <DialogActions label="Save notes" disabled={form.submitting} onCancel={onClose} />
    </form>
  );
}
