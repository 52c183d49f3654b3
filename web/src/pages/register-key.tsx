import { useState } from 'react';
import { parseLicenseKey } from '../../../src/domain/license-key';
import { answer, api, ApiError, type SubscriptionSummary } from '../api';
import { CompanyFields } from '../company-fields';
import { STATES } from '../countries';
import { FormError, rules, SelectField, TextField, useForm } from '../forms';
import { navigate } from '../router';
import { can, useSession } from '../session';
import { subscriptionHref } from '../subscription-data';

const NEW_BUSINESS = 'new';

/** The license key rule of the server, run as the user types: a typo is caught before any request. */
function keyRule(v: string): string | null {
  if (v.trim() === '') return 'is required';
  const parsed = parseLicenseKey(v);
  if (parsed.ok) return null;
  return parsed.code === 'key_malformed' ? 'has 25 letters and digits in five groups of five' : 'has a typo: check it against your order email';
}

export function RegisterKey() {
  const session = useSession();
  const targets = session.accounts.filter((a) => can(a, 'subscriptions.manage'));
  const hasBusiness = targets.some((a) => a.kind === 'business');
  const [step, setStep] = useState<'key' | 'company'>('key');
  const form = useForm(
    {
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
      name: (v, all) => (step === 'company' && all.target === NEW_BUSINESS ? rules.required(v) : null),
      street: (v) => (step === 'company' ? rules.required(v) : null),
      city: (v) => (step === 'company' ? rules.required(v) : null),
      country: (v) => (step === 'company' ? rules.required(v) : null),
      state: (v, all) => (step === 'company' && STATES[all.country] && v === '' ? 'is required for this country' : null),
      zip: (v) => (step === 'company' ? rules.required(v) : null),
      phone: (v) => (step === 'company' ? rules.phone(v) : null),
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

  const registered = async (subscription: SubscriptionSummary) => {
    await session.refresh();
    if (subscription.accountId) session.selectAccount(subscription.accountId);
    navigate(subscriptionHref(subscription, session.account.id));
  };

  return (
    <section className="narrow">
      <div className="page-head">
        <h1>Register Key</h1>
        <p className="muted">Enter the primary license key from your order email to add the subscription to an account.</p>
      </div>
      <ol className="steps" aria-label="Steps">
        <li aria-current={step === 'key' ? 'step' : undefined}>License key</li>
        {v.target === NEW_BUSINESS && <li aria-current={step === 'company' ? 'step' : undefined}>Business details</li>}
      </ol>
      <form
        noValidate
        className="panel"
        onSubmit={form.submit(async (values) => {
          const licenseKey = values.licenseKey.trim();
          if (values.target !== NEW_BUSINESS) {
            const { subscription } = await answer(api.POST('/api/v1/accounts/{accountId}/subscriptions', { params: { path: { accountId: values.target } }, body: { licenseKey } }));
            return registered(subscription);
          }
          if (step === 'key') return setStep('company');
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
            if (err instanceof ApiError && err.fields['licenseKey']) setStep('key');
            throw err;
          }
        })}
      >
        <FormError message={form.formError} />
        {step === 'key' ? (
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
                {v.target === NEW_BUSINESS ? 'Continue' : form.submitting ? 'Registering…' : 'Register'}
              </button>
            </div>
          </>
        ) : (
          <>
            <h2>Business details</h2>
            <p className="muted">
              The subscription goes into a new business account for your company; you become its administrator. Key <code>{v.licenseKey.trim().toUpperCase()}</code>
            </p>
            <CompanyFields form={form} />
            <div className="form-actions">
              <button type="button" className="button secondary" onClick={() => setStep('key')}>
                Back
              </button>
              <button className="button primary" disabled={form.submitting}>
                {form.submitting ? 'Registering…' : 'Register'}
              </button>
            </div>
          </>
        )}
      </form>
    </section>
  );
}
