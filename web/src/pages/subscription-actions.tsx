import { useState } from 'react';
import { answer, api, ApiError, type SubscriptionDetails } from '../api';
import { FormError, rules, SelectField, TextField, useForm } from '../forms';
import { DURATION_LABELS, formatDate } from '../format';
import { DialogActions, Load, useLoad } from '../ui';

// The subscription-wide actions of its details page (capability 3), each the body of a dialog.

type Duration = keyof typeof DURATION_LABELS;

interface ActionProps {
  details: SubscriptionDetails;
  accountId: string;
  /** Called with what the change did to the details, from its answer. */
  onDone(change: (details: SubscriptionDetails) => SubscriptionDetails): void;
  onCancel(): void;
}

const subscription = (accountId: string, subscriptionId: string) => ({ params: { path: { accountId, subscriptionId } } });

const nameRule = (v: string) => rules.required(v) ?? (v.trim().length > 200 ? 'must be at most 200 characters' : null);

export function RenameSubscription({ details, accountId, onDone, onCancel }: ActionProps) {
  const form = useForm({ name: details.subscription.name }, { name: nameRule }, { draft: `rename:${details.subscription.id}` });
  return (
    <form
      noValidate
      onSubmit={form.submit(async ({ name }) => {
        const renamed = await answer(api.PATCH('/api/v1/accounts/{accountId}/subscriptions/{subscriptionId}', { ...subscription(accountId, details.subscription.id), body: { name: name.trim() } }));
        onDone((d) => ({ ...d, subscription: renamed.subscription }));
      })}
    >
      <FormError message={form.formError} />
      <TextField label="Name" hint="How the subscription appears in your lists" autoFocus field={form.field('name')} />
      <DialogActions label="Save name" disabled={form.submitting} onCancel={onCancel} />
    </form>
  );
}

/** The new expiration date for the chosen duration comes from the server, as the renewal will set it. */
function RenewalQuote({ accountId, subscriptionId, duration }: { accountId: string; subscriptionId: string; duration: Duration }) {
  const [quote, retry] = useLoad(
    () => answer(api.GET('/api/v1/accounts/{accountId}/subscriptions/{subscriptionId}/renewal-quote', { params: { path: { accountId, subscriptionId }, query: { duration } } })),
    [accountId, subscriptionId, duration],
  );
  return (
    <div aria-live="polite">
      <Load state={quote} retry={retry} label="the new expiration date">
        {(q) => (
          <dl className="facts quote">
            <div>
              <dt>Expires now</dt>
              <dd>{formatDate(q.currentExpiresAt)}</dd>
            </div>
            <div>
              <dt>New expiration date</dt>
              <dd>{formatDate(q.newExpiresAt)}</dd>
            </div>
          </dl>
        )}
      </Load>
    </div>
  );
}

export function RenewSubscription({ details, accountId, onDone, onCancel }: ActionProps) {
  const id = details.subscription.id;
  const form = useForm({ duration: '1y' }, {}, { draft: `renew:${id}` });
  return (
    <form
      noValidate
      onSubmit={form.submit(async ({ duration }) => {
        const renewed = await answer(api.POST('/api/v1/accounts/{accountId}/subscriptions/{subscriptionId}/renewals', { ...subscription(accountId, id), body: { duration: duration as Duration } }));
        onDone(() => renewed);
      })}
    >
      <FormError message={form.formError} />
      <SelectField label="Renew for" field={form.field('duration')}>
        {(Object.keys(DURATION_LABELS) as Duration[]).map((d) => (
          <option key={d} value={d}>
            {DURATION_LABELS[d]}
          </option>
        ))}
      </SelectField>
      <RenewalQuote accountId={accountId} subscriptionId={id} duration={form.values.duration as Duration} />
      <DialogActions label="Renew subscription" disabled={form.submitting} onCancel={onCancel} />
    </form>
  );
}

const quantityRule = (v: string) => (!/^\d+$/.test(v.trim()) ? 'must be a whole number' : Number(v) > 1_000_000 ? 'must be at most 1000000' : null);
const totalAfter = (now: number, more: string) => (/^\d+$/.test(more) ? `${now + Number(more)} licenses in all after the purchase` : undefined);

/** More licenses of one or several of the subscription's products, in one purchase. */
export function BuyMoreLicenses({ details, accountId, onDone, onCancel }: ActionProps) {
  const { products } = details;
  const single = products.length === 1;
  const first = products[0]?.itemId;
  /** The products bought, in the order of the request's items (the server's errors name them by index). */
  const bought = (values: Record<string, string>) => products.filter((p) => Number(values[p.itemId]) > 0);
  const form = useForm(
    Object.fromEntries(products.map((p) => [p.itemId, single ? '1' : '0'])),
    Object.fromEntries(
      products.map((p) => [p.itemId, (v: string, all: Record<string, string>) => quantityRule(v) ?? (p.itemId === first && bought(all).length === 0 ? 'Add at least one license' : null)]),
    ),
    { draft: `buy-more:${details.subscription.id}`, serverNames: (values) => Object.fromEntries(bought(values).map((p, i) => [p.itemId, `items.${i}.quantity`])) },
  );
  return (
    <form
      noValidate
      onSubmit={form.submit(async (values) => {
        const items = bought(values).map((p) => ({ productCode: p.productCode, licenseType: p.licenseType, quantity: Number(values[p.itemId]) }));
        const grown = await answer(api.POST('/api/v1/accounts/{accountId}/subscriptions/{subscriptionId}/additions', { ...subscription(accountId, details.subscription.id), body: { items } }));
        onDone(() => grown);
      })}
    >
      <FormError message={form.formError} />
      {products.map((p) => (
        <TextField
          key={p.itemId}
          label={single ? 'Additional licenses' : `${p.productName}${p.licenseType ? ` (${p.licenseType})` : ''}`}
          type="number"
          inputMode="numeric"
          min={single ? 1 : 0}
          hint={totalAfter(p.quantity, form.values[p.itemId] ?? '') ?? `${p.quantity} now`}
          field={form.field(p.itemId)}
        />
      ))}
      <DialogActions label="Buy licenses" disabled={form.submitting} onCancel={onCancel} />
    </form>
  );
}

export function AutoRenew({
  details,
  accountId,
  editable,
  onChanged,
}: {
  details: SubscriptionDetails;
  accountId: string;
  /** Whether the member may change it; others read it. */
  editable: boolean;
  onChanged(subscription: SubscriptionDetails['subscription']): void;
}) {
  const [error, setError] = useState<string | null>(null);
  const s = details.subscription;
  if (s.channel !== 'online' || !editable) return <>{s.autoRenew ? 'On' : 'Off'}</>;
  return (
    <label className="inline-check">
      <input
        type="checkbox"
        checked={s.autoRenew}
        onChange={async (e) => {
          setError(null);
          try {
            const changed = await answer(api.PATCH('/api/v1/accounts/{accountId}/subscriptions/{subscriptionId}', { params: { path: { accountId, subscriptionId: s.id } }, body: { autoRenew: e.target.checked } }));
            onChanged(changed.subscription);
          } catch (err) {
            setError(err instanceof ApiError ? err.message : 'Something went wrong');
          }
        }}
      />{' '}
      Renew automatically
      {error && <span className="field-error"> {error}</span>}
    </label>
  );
}
