import { useEffect } from 'react';
import { parseLicenseKey } from '../../../src/domain/license-key';
import { REGISTER_KEY_PAGE } from '../../../src/domain/portal-links';
import { answer, api, ApiError, type SubscriptionSummary } from '../api';
import { CompanyFields } from '../company-fields';
import { STATES } from '../countries';
import { formatDate } from '../format';
import { FormError, rules, SelectField, TextField, useForm } from '../forms';
import { Link, navigate } from '../router';
import { can, useSession } from '../session';
import { getSubscription, subscriptionHref } from '../subscription-data';
import { DonePanel, Load, useLoad } from '../ui';

const NEW_BUSINESS = 'new';

/** The license key rule of the server, run as the user types: a typo is caught before any request. */
function keyRule(v: string): string | null {
  if (v.trim() === '') return 'is required';
  const parsed = parseLicenseKey(v);
  if (parsed.ok) return null;
  return parsed.code === 'key_malformed' ? 'has 25 letters and digits in five groups of five' : 'has a typo: check it against your order email';
}

/**
 * The Register Key page: the wizard, with the key of the address (`?key=`, the order email's
 * link) filled in; once a key is registered, the address names the subscription (`?registered=`)
 * and the page confirms it, a reload included.
 */
export function RegisterKey({ fromAddress, registered }: { fromAddress: string | null; registered: string | null }) {
  return registered ? <Registered subscriptionId={registered} /> : <RegisterForm fromAddress={fromAddress} />;
}

function RegisterForm({ fromAddress }: { fromAddress: string | null }) {
  const session = useSession();
  const targets = session.accounts.filter((a) => can(a, 'subscriptions.manage'));
  const hasBusiness = targets.some((a) => a.kind === 'business');
  const form = useForm(
    {
      // The wizard's step is a value of its draft: a reload reopens the step it was on.
      step: 'key',
      licenseKey: '',
      target: hasBusiness ? (targets.find((a) => a.id === session.account.id)?.id ?? targets[0]!.id) : NEW_BUSINESS,
      name: '',
      street: '',
      city: '',
      country: '',
      state: '',
      zip: '',
      phone: '',
    },
    {
      licenseKey: keyRule,
      name: (v, all) => (all.step === 'company' && all.target === NEW_BUSINESS ? rules.required(v) : null),
      street: (v, all) => (all.step === 'company' ? rules.required(v) : null),
      city: (v, all) => (all.step === 'company' ? rules.required(v) : null),
      country: (v, all) => (all.step === 'company' ? rules.required(v) : null),
      state: (v, all) => (all.step === 'company' && STATES[all.country] && v === '' ? 'is required for this country' : null),
      zip: (v, all) => (all.step === 'company' ? rules.required(v) : null),
      phone: (v, all) => (all.step === 'company' ? rules.phone(v) : null),
    },
    {
      draft: 'register-key',
      serverNames: {
        name: 'company.name',
        street: 'company.street',
        city: 'company.city',
        country: 'company.country',
        state: 'company.state',
        zip: 'company.zip',
        phone: 'company.phone',
      },
    },
  );
  const v = form.values;
  const toStep = (step: 'key' | 'company') => form.set('step', step);

  // A key in the address wins over an older draft; the address then drops it, so that a reload keeps what is typed next.
  useEffect(() => {
    if (fromAddress === null) return;
    form.set('licenseKey', fromAddress);
    toStep('key');
    navigate(REGISTER_KEY_PAGE, true);
    // Once, on arrival.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const registered = async (subscription: SubscriptionSummary) => {
    await session.refresh();
    if (subscription.accountId) session.selectAccount(subscription.accountId);
    navigate(`${REGISTER_KEY_PAGE}?registered=${encodeURIComponent(subscription.id)}`, true);
  };

  const register = async (values: typeof v) => {
    const licenseKey = values.licenseKey.trim();
    if (values.target !== NEW_BUSINESS) {
      const { subscription } = await answer(api.POST('/api/v1/accounts/{accountId}/subscriptions', { params: { path: { accountId: values.target } }, body: { licenseKey } }));
      return registered(subscription);
    }
    const company = {
      name: values.name.trim(),
      street: values.street.trim(),
      city: values.city.trim(),
      country: values.country,
      state: values.state || null,
      zip: values.zip.trim(),
      phone: values.phone.trim(),
    };
    try {
      const { subscription } = await answer(api.POST('/api/v1/subscriptions/registrations', { body: { licenseKey, company } }));
      await registered(subscription);
    } catch (err) {
      // A key refused by the server is fixed on the first step, where its field is.
      if (err instanceof ApiError && err.fields['licenseKey']) toStep('key');
      throw err;
    }
  };
  const onCompanyStep = v.step === 'company';
  const continues = !onCompanyStep && v.target === NEW_BUSINESS;

  return (
    <section className="narrow">
      <div className="page-head">
        <h1>Register Key</h1>
        <p className="muted">Enter the primary license key from your order email to add the subscription to an account.</p>
      </div>
      <ol className="steps" aria-label="Steps">
        <li aria-current={onCompanyStep ? undefined : 'step'}>License key</li>
        {v.target === NEW_BUSINESS && <li aria-current={onCompanyStep ? 'step' : undefined}>Business details</li>}
      </ol>
      <form noValidate className="panel" onSubmit={continues ? form.submit(async () => toStep('company'), { step: true }) : form.submit(register)}>
        <FormError message={form.formError} />
        {onCompanyStep ? (
          <>
            <h2>Business details</h2>
            <p className="muted">
              The subscription goes into a new business account for your company; you become its administrator. Key <code>{v.licenseKey.trim().toUpperCase()}</code>
            </p>
            <CompanyFields form={form} />
            <div className="form-actions">
              <button type="button" className="button secondary" onClick={() => toStep('key')}>
                Back
              </button>
              <button className="button primary" disabled={form.submitting}>
                {form.submitting ? 'Registering…' : 'Register'}
              </button>
            </div>
          </>
        ) : (
          <>
            <TextField label="License key" autoComplete="off" spellCheck={false} placeholder="XXXXX-XXXXX-XXXXX-XXXXX-XXXXX" className="mono" field={form.field('licenseKey')} />
            {hasBusiness && (
              <SelectField label="Register into" field={form.field('target')}>
                {targets.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name} ({a.kind === 'personal' ? 'Personal' : 'Business'})
                  </option>
                ))}
                <option value={NEW_BUSINESS}>A new business account…</option>
              </SelectField>
            )}
            <div className="form-actions">
              <button className="button primary" disabled={form.submitting}>
                {continues ? 'Continue' : form.submitting ? 'Registering…' : 'Register'}
              </button>
            </div>
          </>
        )}
      </form>
    </section>
  );
}

/** What was registered, and where it is now: the subscription, its products and key, in which account. */
function Registered({ subscriptionId }: { subscriptionId: string }) {
  const { account } = useSession();
  const [state, reload] = useLoad(() => getSubscription(account.id, subscriptionId), [account.id, subscriptionId]);
  return (
    <section className="narrow">
      <div className="page-head">
        <h1>Register Key</h1>
      </div>
      <Load state={state} retry={reload} label="the registered subscription">
        {(d) => (
          <DonePanel title="Key registered">
            <p>
              <strong>{d.subscription.name}</strong> is now a subscription of {account.name}, until {formatDate(d.subscription.expiresAt)}.
            </p>
            <dl className="facts">
              <div>
                <dt>Products</dt>
                <dd>{d.products.map((p) => `${p.quantity} × ${p.productName}${p.licenseType ? ` (${p.licenseType})` : ''}`).join(', ')}</dd>
              </div>
              <div>
                <dt>License key</dt>
                <dd>
                  <code>{d.keys.filter((k) => k.kind === 'primary').map((k) => k.key).join(', ')}</code>
                </dd>
              </div>
            </dl>
            <div className="form-actions">
              <Link className="button primary" href={subscriptionHref(d.subscription, account.id)}>
                Open the subscription
              </Link>
              <Link className="button secondary" href={REGISTER_KEY_PAGE}>
                Register another key
              </Link>
            </div>
          </DonePanel>
        )}
      </Load>
    </section>
  );
}
