import { useState } from 'react';
import { accountPath, api, apiCsv, downloadHref, errorMessage } from '../api';
import { emailSourceRule, EmailSourceField, LANGUAGES, type EmailSource } from '../email-list';
import { FormError, rules, SelectField, TextField, useForm } from '../forms';
import { formatDate, formatDateTime } from '../format';
import { keyLabel, listAccountKeys } from '../key-data';
import { Link } from '../router';
import { useSession } from '../session';
import { Badge, Empty, Load, useLoad } from '../ui';

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
  createdAt: string;
}

interface Sent {
  invited: InstallInvitation[];
  skipped: { email: string; reason: 'duplicate' }[];
  rejectedRows: { line: number; value: string; message: string }[];
}

const STATUS_LABELS = { pending: 'Pending', used: 'Used', expired: 'Expired', revoked: 'Revoked' } as const;
const daysRule = (v: string) => (!/^\d+$/.test(v.trim()) ? 'must be a whole number' : Number(v) < 1 || Number(v) > 90 ? 'must be between 1 and 90 days' : null);

function SentSummary({ sent, entry }: { sent: Sent; entry: 'Line' | 'Entry' }) {
  return (
    <div className="panel" role="status" aria-label="Invitations sent">
      <h2>
        {sent.invited.length} invited{sent.skipped.length ? `, ${sent.skipped.length} skipped` : ''}
        {sent.rejectedRows.length ? `, ${sent.rejectedRows.length} rejected` : ''}
      </h2>
      <div className="result-lists">
        {sent.invited.length > 0 && (
          <div>
            <h3>Invited</h3>
            <ul>
              {sent.invited.map((i) => (
                <li key={i.id}>{i.email}</li>
              ))}
            </ul>
          </div>
        )}
        {sent.skipped.length > 0 && (
          <div>
            <h3>Skipped</h3>
            <ul>
              {sent.skipped.map((s) => (
                <li key={s.email}>{s.email}: listed twice</li>
              ))}
            </ul>
          </div>
        )}
        {sent.rejectedRows.length > 0 && (
          <div>
            <h3>Rejected</h3>
            <ul>
              {sent.rejectedRows.map((r) => (
                <li key={r.line}>
                  {entry} {r.line} “{r.value}”: {r.message}
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </div>
  );
}

/** Invite users to install (capability 8): each address gets its own temporary code and the download link. */
export function InviteToInstall({ keyId }: { keyId: string | null }) {
  const { account } = useSession();
  const base = `${accountPath(account.id)}/install-invitations`;
  const [keys, retryKeys] = useLoad(() => listAccountKeys(account.id), [account.id]);
  const [list, reloadList] = useLoad(() => api<{ items: InstallInvitation[]; nextCursor: string | null }>('GET', `${base}?limit=100`), [base]);
  const [source, setSource] = useState<EmailSource>({ kind: 'typed', emails: [] });
  const [sourceTouched, setSourceTouched] = useState(false);
  const [sent, setSent] = useState<Sent | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const form = useForm({ keyId: keyId ?? '', language: 'en', expiresInDays: '7' }, { keyId: rules.required, expiresInDays: daysRule }, { draft: `invite-to-install:${account.id}` });

  const revoke = async (id: string) => {
    setListError(null);
    try {
      await api('DELETE', `${base}/${id}`);
      reloadList();
    } catch (err) {
      setListError(errorMessage(err));
    }
  };

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
            <form
              noValidate
              className="panel narrow"
              onSubmit={(e) => {
                setSourceTouched(true);
                if (emailSourceRule(source)) {
                  e.preventDefault();
                  return;
                }
                return form.submit(async (values) => {
                  setSent(null);
                  const options = { keyId: values.keyId, language: values.language, expiresInDays: Number(values.expiresInDays) };
                  const answer =
                    source.kind === 'file'
                      ? await apiCsv<Sent>(`${base}/csv?${new URLSearchParams({ ...options, expiresInDays: String(options.expiresInDays) })}`, source.csv)
                      : await api<Sent>('POST', base, { ...options, emails: source.emails });
                  setSent(answer);
                  reloadList();
                })(e);
              }}
            >
              <FormError message={form.formError} />
              <SelectField label="License key" field={form.field('keyId')}>
                <option value="">Choose a license key</option>
                {choices.map((k) => (
                  <option key={k.id} value={k.id}>
                    {keyLabel(k)}
                  </option>
                ))}
              </SelectField>
              <div className="row">
                <SelectField label="Email language" field={form.field('language')}>
                  {LANGUAGES.map(([code, name]) => (
                    <option key={code} value={code}>
                      {name}
                    </option>
                  ))}
                </SelectField>
                <TextField label="Code valid for (days)" type="number" inputMode="numeric" min={1} max={90} field={form.field('expiresInDays')} />
              </div>
              <EmailSourceField value={source} onChange={setSource} error={sourceTouched ? emailSourceRule(source) : null} />
              <div className="form-actions">
                <button className="button primary" disabled={form.submitting}>
                  Send invitations
                </button>
              </div>
            </form>
          )
        }
      </Load>
      {sent && <SentSummary sent={sent} entry={source.kind === 'file' ? 'Line' : 'Entry'} />}

      <div className="section-head">
        <h2 id="install-invitations-title">Invitations</h2>
        <a className="button secondary small" href={downloadHref(`${base}.csv`)} download>
          Download CSV
        </a>
      </div>
      {listError && (
        <p className="form-error" role="alert">
          {listError}
        </p>
      )}
      <Load state={list} retry={reloadList} label="the invitations">
        {({ items }) =>
          items.length === 0 ? (
            <Empty>
              <p>No invitations to install sent yet.</p>
            </Empty>
          ) : (
            <div className="table-wrap">
              <table aria-labelledby="install-invitations-title">
                <thead>
                  <tr>
                    <th scope="col">Email</th>
                    <th scope="col">License key</th>
                    <th scope="col">Status</th>
                    <th scope="col">Code</th>
                    <th scope="col">Expires</th>
                    <th scope="col">Sent</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((i) => (
                    <tr key={i.id}>
                      <td className="wrap">{i.email}</td>
                      <td>{i.keyName}</td>
                      <td>
                        <Badge tone={i.status}>{STATUS_LABELS[i.status]}</Badge>
                        {i.usedAt && <div className="muted small">{formatDateTime(i.usedAt)}</div>}
                      </td>
                      <td>
                        <code>{i.code}</code>
                      </td>
                      <td>{formatDate(i.expiresAt)}</td>
                      <td>
                        {formatDate(i.createdAt)}
                        {i.createdBy && <div className="muted small">{i.createdBy}</div>}
                      </td>
                      <td className="actions">
                        {i.status === 'pending' && (
                          <button type="button" className="button link danger-text" aria-label={`Revoke the invitation of ${i.email}`} onClick={() => revoke(i.id)}>
                            Revoke
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Load>
    </section>
  );
}
