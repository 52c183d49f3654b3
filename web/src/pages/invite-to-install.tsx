import { accountPath, api, downloadHref } from '../api';
import { DataTable } from '../data-table';
import { daysRule, EmailSourceField, InvitationForm, LanguageField, SentSummary, useEmailSource, type SendResult } from '../email-list';
import { FormError, rules, SelectField, TextField, useForm } from '../forms';
import { formatDate, formatDateTime } from '../format';
import { InvitationActions, SentCell } from '../invitation-rows';
import { keyLabel, listAccountKeys } from '../key-data';
import { Link } from '../router';
import { useSession } from '../session';
import { Badge, Empty, Load, useListAction, useLoad } from '../ui';

interface InstallInvitation {
  id: string;
  keyId: string;
  keyName: string;
  email: string;
  code: string;
  status: 'pending' | 'used' | 'expired' | 'revoked';
  expiresAt: string;
  usedAt: string | null;
  createdBy: string | null;
  sentCount: number;
  lastSentAt: string;
}

const STATUS_LABELS = { pending: 'Pending', used: 'Used', expired: 'Expired', revoked: 'Revoked' } as const;
const SKIP_REASONS = { duplicate: 'listed twice' } as const;

/** Invite users to install (capability 8): each address gets its own temporary code and the download link. */
export function InviteToInstall({ keyId }: { keyId: string | null }) {
  const { account } = useSession();
  const base = `${accountPath(account.id)}/install-invitations`;
  const [keys, retryKeys] = useLoad(() => listAccountKeys(account.id), [account.id]);
  const [list, reloadList] = useLoad(() => api<{ items: InstallInvitation[]; nextCursor: string | null }>('GET', `${base}?limit=100`), [base]);
  const emails = useEmailSource<SendResult<keyof typeof SKIP_REASONS>>('invite-to-install:emails');
  const form = useForm({ keyId: keyId ?? '', language: 'en', expiresInDays: '7' }, { keyId: rules.required, expiresInDays: daysRule }, { draft: `invite-to-install:${account.id}` });

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
              onSend={async (values) => {
                await emails.send(base, { keyId: values.keyId, language: values.language, expiresInDays: Number(values.expiresInDays) });
                reloadList();
              }}
            >
              <SelectField label="License key" field={form.field('keyId')}>
                <option value="">Choose a license key</option>
                {choices.map((k) => (
                  <option key={k.id} value={k.id}>
                    {keyLabel(k)}
                  </option>
                ))}
              </SelectField>
              <div className="row">
                <LanguageField field={form.field('language')} />
                <TextField label="Code valid for (days)" type="number" inputMode="numeric" min={1} max={90} field={form.field('expiresInDays')} />
              </div>
              <EmailSourceField {...emails.field} />
            </InvitationForm>
          )
        }
      </Load>
      {emails.sent && <SentSummary sent={emails.sent} skipReasons={SKIP_REASONS} level="h2" />}

      <div className="section-head">
        <h2 id="install-invitations-title">Invitations</h2>
        <a className="button secondary small" href={downloadHref(`${base}.csv`)} download>
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
              actions={(i) => i.status === 'pending' && <InvitationActions base={base} invitation={i} action={listAction} />}
            />
          )
        }
      </Load>
    </section>
  );
}
