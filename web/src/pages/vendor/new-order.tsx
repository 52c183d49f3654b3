import { useState } from 'react';
import { Choice, FormError, rules, SelectField, TextField, useForm } from '../../forms';
import { DURATION_LABELS, formatDate, linesText } from '../../format';
import { Link } from '../../router';
import { CopyButton, DonePanel } from '../../ui';
import { needsLicenseType, noLicenseTypeLabel, OrderLinesEditor, useOrderLines } from './order-lines';
import { useCatalog } from './catalog';
import { CHANNEL_LABELS, PLAN_LABELS, vendor, type Duration, type Issued, type Product } from './vendor-api';

const durationRule = (v: string, all: { channel: string }) => (v === '1m' && all.channel !== 'online' ? '1 month is sold only in online orders' : null);

/** What an order or a trial issued: the subscription and the primary key to hand over. */
function IssuedPanel({ issued, title, onAnother }: { issued: Issued; title: string; onAnother(): void }) {
  const s = issued.subscription;
  const { names } = useCatalog();
  return (
    <DonePanel title={title}>
      <p>
        <strong>{s.name}</strong> for {s.customerEmail}, until {formatDate(s.expiresAt)}. The customer was emailed the key.
      </p>
      <div className="key-box">
        <p className="label-like" id="issued-key">
          Primary license key
        </p>
        <code className="key" aria-labelledby="issued-key">
          {issued.primaryKey.key}
        </code>
        <CopyButton text={issued.primaryKey.key} label="Copy the key" />
      </div>
      <dl className="facts">
        <div>
          <dt>Products</dt>
          <dd>{linesText(issued.items, names)}</dd>
        </div>
        <div>
          <dt>Order</dt>
          <dd>#{issued.order.number}</dd>
        </div>
      </dl>
      <div className="form-actions">
        <Link className="button primary" href={`/back-office/subscriptions/${s.id}`}>
          Open the subscription
        </Link>
        <button type="button" className="button secondary" onClick={onAnother}>
          Start another
        </button>
      </div>
    </DonePanel>
  );
}

function OrderForm({ catalog, onIssued }: { catalog: Product[]; onIssued(i: Issued): void }) {
  const lines = useOrderLines(catalog, 'vendor-order:lines');
  const form = useForm(
    { customerEmail: '', duration: '1y', channel: 'reseller', supportPlan: 'standard', autoRenew: 'false' },
    { customerEmail: rules.email, duration: durationRule },
    { draft: 'vendor-order' },
  );
  const v = form.values;
  const online = v.channel === 'online';
  return (
    <form
      noValidate
      aria-labelledby="order-title"
      onSubmitCapture={lines.reveal}
      onSubmit={form.submit(async (values) => {
        const items = lines.valid();
        if (!items) return;
        try {
          const issued = await vendor.placeOrder({
            customerEmail: values.customerEmail.trim(),
            items,
            duration: values.duration as Duration,
            channel: values.channel as 'online' | 'reseller',
            supportPlan: values.supportPlan as 'standard' | 'premium',
            autoRenew: values.channel === 'online' && values.autoRenew === 'true',
          });
          lines.sent();
          onIssued(issued);
        } catch (err) {
          if (!lines.serverErrors(err)) throw err;
        }
      })}
    >
      <h2 id="order-title">Order</h2>
      <FormError message={form.formError} />
      <TextField label="Customer email" type="email" autoComplete="off" hint="The key is emailed here; the customer registers it with this address" field={form.field('customerEmail')} />
      <OrderLinesEditor lines={lines} catalog={catalog} />
      <div className="row">
        <fieldset className="choices choices-row">
          <legend>Channel</legend>
          {(['reseller', 'online'] as const).map((c) => (
            <Choice
              key={c}
              name="channel"
              label={CHANNEL_LABELS[c]}
              checked={v.channel === c}
              onSelect={() => {
                form.set('channel', c);
                if (c !== 'online') form.set('autoRenew', 'false');
              }}
            />
          ))}
        </fieldset>
        <SelectField label="Duration" hint={online ? undefined : '1 month is sold online only'} field={form.field('duration')}>
          {(Object.entries(DURATION_LABELS) as [Duration, string][]).map(([d, label]) => (
            <option key={d} value={d} disabled={d === '1m' && !online}>
              {label}
            </option>
          ))}
        </SelectField>
        <SelectField label="Support plan" field={form.field('supportPlan')}>
          {Object.entries(PLAN_LABELS).map(([p, label]) => (
            <option key={p} value={p}>
              {label}
            </option>
          ))}
        </SelectField>
      </div>
      {online && (
        <label className="checkbox-field">
          <input type="checkbox" checked={v.autoRenew === 'true'} onChange={(e) => form.set('autoRenew', String(e.target.checked))} /> Renew automatically
        </label>
      )}
      <div className="form-actions">
        <button className="button primary" disabled={form.submitting}>
          Place order
        </button>
      </div>
    </form>
  );
}

function TrialForm({ catalog, onIssued }: { catalog: Product[]; onIssued(i: Issued): void }) {
  const form = useForm(
    { customerEmail: '', productCode: '', licenseType: '' },
    {
      customerEmail: rules.email,
      productCode: rules.required,
      licenseType: (v, all) => (needsLicenseType(catalog.find((p) => p.code === all.productCode)) && !v ? 'is required for this product' : null),
    },
    { draft: 'vendor-trial' },
  );
  const product = catalog.find((p) => p.code === form.values.productCode);
  return (
    <form
      noValidate
      aria-labelledby="trial-title"
      onSubmit={form.submit(async (values) => {
        onIssued(await vendor.issueTrial({ customerEmail: values.customerEmail.trim(), productCode: values.productCode, licenseType: values.licenseType || null }));
      })}
    >
      <h2 id="trial-title">Trial license</h2>
      <FormError message={form.formError} />
      <TextField label="Customer email" type="email" autoComplete="off" field={form.field('customerEmail')} />
      <SelectField
        label="Product"
        hint={product ? `${product.params.trialDays} days, ${product.params.trialSeats} seat${product.params.trialSeats === 1 ? '' : 's'}` : undefined}
        field={{ ...form.field('productCode'), onChange: (code) => (form.set('productCode', code), form.set('licenseType', '')) }}
      >
        <option value="">Choose a product…</option>
        {catalog.map((p) => (
          <option key={p.code} value={p.code}>
            {p.name}
          </option>
        ))}
      </SelectField>
      {product && product.licenseTypes.length > 0 && (
        <SelectField label="License type" field={form.field('licenseType')}>
          <option value="">{noLicenseTypeLabel(product)}</option>
          {product.licenseTypes.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </SelectField>
      )}
      <div className="form-actions">
        <button className="button secondary" disabled={form.submitting}>
          Issue trial
        </button>
      </div>
    </form>
  );
}

/** The sales desk: a paid order (new subscription) or a trial, and the key either one issued. */
export function NewOrder() {
  const { products } = useCatalog();
  const [issued, setIssued] = useState<{ what: 'order' | 'trial'; issued: Issued } | null>(null);
  const [round, setRound] = useState(0);
  return (
    <section>
      <div className="page-head">
        <h1>New order</h1>
        <p className="muted">Creates a subscription and its primary key, and emails the key to the customer.</p>
      </div>
      {issued ? (
        <IssuedPanel
          issued={issued.issued}
          title={issued.what === 'order' ? 'Order placed' : 'Trial issued'}
          onAnother={() => {
            setIssued(null);
            setRound((r) => r + 1);
          }}
        />
      ) : (
        <div className="two-col" key={round}>
          <div className="panel">
            <OrderForm catalog={products} onIssued={(i) => setIssued({ what: 'order', issued: i })} />
          </div>
          <div className="panel">
            <TrialForm catalog={products} onIssued={(i) => setIssued({ what: 'trial', issued: i })} />
          </div>
        </div>
      )}
    </section>
  );
}
