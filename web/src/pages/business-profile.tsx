import { useState } from 'react';
import { mayOpen } from '../access';
import { answer, api, type Answer } from '../api';
import { CompanyFields } from '../company-fields';
import { STATES } from '../countries';
import { rules, useForm } from '../forms';
import { ROLE_LABELS } from '../format';
import { Link, navigate } from '../router';
import { SavingForm } from '../saving-form';
import { can, useSession } from '../session';
import { ConfirmDialog, Load, useLoad } from '../ui';

type AccountProfile = Answer<'get', '/api/v1/accounts/{accountId}'>;

function CompanyForm({ profile, onSaved }: { profile: AccountProfile; onSaved(): void }) {
  const a = profile.account;
  // The server keeps ISO 3166-2 codes ("US-CA"); the form picks by the part after the country.
  const form = useForm(
    { name: a.name, street: a.street ?? '', city: a.city ?? '', country: a.country ?? '', state: a.state && a.country ? a.state.replace(`${a.country}-`, '') : '', zip: a.zip ?? '', phone: a.phone ?? '' },
    {
      name: rules.required,
      street: rules.required,
      city: rules.required,
      country: rules.required,
      state: (v, all) => (STATES[all.country] && v === '' ? 'is required for this country' : null),
      zip: rules.required,
      phone: rules.phone,
    },
    { draft: `business-profile:${a.id}` },
  );
  return (
    <SavingForm
      form={form}
      className="panel"
      title="Company details"
      label="Save company details"
      onSave={async (v) => {
        await answer(api.PATCH('/api/v1/accounts/{accountId}', { params: { path: { accountId: a.id } }, body: { ...v, name: v.name.trim(), state: v.state.trim() || null } }));
        onSaved();
      }}
    >
      <CompanyFields form={form} />
    </SavingForm>
  );
}

/** The business account's profile: company details (administrators) and leaving the account (anyone). */
export function BusinessProfile() {
  const session = useSession();
  const { account } = session;
  const [state, reload] = useLoad(() => answer(api.GET('/api/v1/accounts/{accountId}', { params: { path: { accountId: account.id } } })), [account.id]);
  const [leaving, setLeaving] = useState(false);
  return (
    <section className="narrow">
      {mayOpen(account, '/users') && (
        <nav aria-label="Breadcrumb" className="breadcrumb">
          <Link href="/users">Users</Link> › <span aria-current="page">Business profile</span>
        </nav>
      )}
      <div className="page-head">
        <h1>Business profile</h1>
      </div>
      <Load state={state} retry={reload} label="the business profile">
        {(p) => (
          <>
            <dl className="facts">
              <div>
                <dt>Account</dt>
                <dd>{p.account.name}</dd>
              </div>
              <div>
                <dt>Support code</dt>
                <dd>
                  <code>{p.account.supportCode}</code>
                </dd>
              </div>
              <div>
                <dt>Your role</dt>
                <dd>{ROLE_LABELS[p.membership.role]}</dd>
              </div>
              <div>
                <dt>Administrators</dt>
                <dd>{p.admins.map((m) => m.email).join(', ')}</dd>
              </div>
            </dl>
            <div className="spacer" />
            {p.account.kind === 'business' && can(account, 'account.edit') && <CompanyForm profile={p} onSaved={() => (reload(), session.refresh())} />}
            {p.account.kind === 'business' && (
              <div className="panel">
                <h2>Leave {p.account.name}</h2>
                <p>You lose access to its subscriptions at once. An account needs at least one active administrator, so its only administrator cannot leave.</p>
                <button type="button" className="button danger" onClick={() => setLeaving(true)}>
                  Leave account
                </button>
                {leaving && (
                  <ConfirmDialog
                    title={`Leave ${p.account.name}`}
                    action="Leave account"
                    onCancel={() => setLeaving(false)}
                    onConfirm={async () => {
                      await answer(api.POST('/api/v1/accounts/{accountId}/leave', { params: { path: { accountId: account.id } } }));
                      await session.refresh();
                      navigate('/');
                    }}
                  >
                    <p>
                      Leave <strong>{p.account.name}</strong>? You lose access to its subscriptions at once; only an administrator's invitation brings you back.
                    </p>
                  </ConfirmDialog>
                )}
              </div>
            )}
          </>
        )}
      </Load>
    </section>
  );
}
