import { accountPath, answer, api, csvBody, downloadHref, type Query } from '../api';
import { DataTable } from '../data-table';
import { daysRule, EmailSourceField, InvitationForm, LanguageField, SentSummary, useEmailSource, type Language } from '../email-list';
import { FormError, rules, SelectField, TextField, useForm } from '../forms';
import { formatDate, formatDateTime } from '../format';
import { InvitationActions, SentCell } from '../invitation-rows';
import { listAccountKeys } from '../key-data';
import { KeyOptions } from '../key-options';
import { Link } from '../router';
import { useSession } from '../session';
import { Badge, Empty, Load, useListAction, useLoad } from '../ui';

const STATUS_LABELS = { pending: 'Pending', used: 'Used', expired: 'Expired', revoked: 'Revoked' } as const;

/** Invite users to install (capability 8): each address gets its own temporary code and the download link. */
export function InviteToInstall({ keyId }: { keyId: string | null }) {
  const { account } = useSession();
  const path = { accountId: account.id };
  const [keys, retryKeys] = useLoad(() => listAccountKeys(account.id), [account.id]);
  const [list, reloadList] = useLoad(() => answer(api.GET('/api/v1/accounts/{accountId}/install-invitations', { params: { path, query: { limit: 100 } } })), [account.id]);
  const emails = useEmailSource();
  const form = useForm(
    { emails: '', keyId: keyId ?? '', language: 'en', expiresInDays: '7' },
    { emails: emails.rule, keyId: rules.required, expiresInDays: daysRule },
    { draft: `invite-to-install:${account.id}` },
  );

  const listAction = useListAction(reloadList);

  return (
    <section>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link href="/installations">Installations</Link> › <span aria-current="page">Invite users to install</span>
      </nav>
      <div className="page-head">
        <h1>Invite users to install</h1>
        <p className="muted">Each person gets an email with the download link and a temporary activation code of their own; the license key itself stays with you.</p>
      </div>
      <Load state={keys} retry={retryKeys} label="the license keys">
        {(choices) =>
          choices.length === 0 ? (
            <Empty>
              <p>You manage no license keys in {account.name} yet.</p>
            </Empty>
          ) : (
            <InvitationForm
              form={form}
              emails={emails}
              className="panel narrow"
              senders={(values) => {
                const options: Query<'post', '/api/v1/accounts/{accountId}/install-invitations/csv'> = { keyId: values.keyId, language: values.language as Language, expiresInDays: Number(values.expiresInDays) };
                return {
                  typed: (list) => answer(api.POST('/api/v1/accounts/{accountId}/install-invitations', { params: { path }, body: { ...options, emails: list } })),
                  file: (csv) => answer(api.POST('/api/v1/accounts/{accountId}/install-invitations/csv', { params: { path, query: options }, ...csvBody(csv) })),
                };
              }}
              onSent={reloadList}
            >
              <SelectField label="License key" field={form.field('keyId')}>
                <option value="">Choose a license key</option>
                <KeyOptions keys={choices} />
              </SelectField>
              <div className="row">
                <LanguageField field={form.field('language')} />
                <TextField label="Code valid for (days)" type="number" inputMode="numeric" min={1} max={90} field={form.field('expiresInDays')} />
              </div>
              <EmailSourceField field={form.field('emails')} source={emails} />
            </InvitationForm>
          )
        }
      </Load>
      {emails.sent && <SentSummary sent={emails.sent} level="h2" />}

      <div className="section-head">
        <h2 id="install-invitations-title">Invitations</h2>
        <a className="button secondary small" href={downloadHref(`${accountPath(account.id)}/install-invitations.csv`, {})} download>
          Download CSV
        </a>
      </div>
      <FormError message={listAction.error} />
      <Load state={list} retry={reloadList} label="the invitations">
        {({ items }) =>
          items.length === 0 ? (
            <Empty>
              <p>No invitations to install sent yet.</p>
            </Empty>
          ) : (
            <DataTable
              labelledBy="install-invitations-title"
              rows={items}
              rowKey={(i) => i.id}
              columns={[
                { header: 'Email', className: 'wrap', cell: (i) => i.email },
                { header: 'License key', cell: (i) => i.keyName },
                {
                  header: 'Status',
                  cell: (i) => (
                    <>
                      <Badge tone={i.status}>{STATUS_LABELS[i.status]}</Badge>
                      {i.usedAt && <div className="muted small">{formatDateTime(i.usedAt)}</div>}
                    </>
                  ),
                },
                { header: 'Code', cell: (i) => <code>{i.code}</code> },
                { header: 'Expires', cell: (i) => formatDate(i.expiresAt) },
                { header: 'Sent', className: 'wrap', cell: (i) => <SentCell invitation={i} by={i.createdBy} /> },
              ]}
              actions={(i) => i.status === 'pending' && <InvitationActions accountId={account.id} collection="install-invitations" invitation={i} action={listAction} />}
            />
          )
        }
      </Load>
    </section>
  );
}
