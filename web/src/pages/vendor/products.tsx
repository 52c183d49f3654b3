import { useState } from 'react';
import { supportUrlProblem } from '../../../../src/domain/support-url';
import { DataTable } from '../../data-table';
import { FormError, SelectField, TextField, useForm } from '../../forms';
import { DraftLifetime } from '../../kept';
import { Empty } from '../../ui';
import { useCatalog } from './catalog';
import { vendor, type Product } from './vendor-api';

const MODEL_LABELS: Record<Product['model'], string> = { per_device: 'Per device', per_user: 'Per user', concurrent_users: 'Concurrent users', per_managed_device: 'Per managed device' };
const SEAT_LABELS: Record<Product['params']['seatUnit'], string> = { installation: 'Installation', user: 'User', concurrent_user: 'Concurrent user', managed_device: 'Managed device' };
const OVER_QUOTA_LABELS: Record<Product['params']['overQuota'], string> = { block: 'Refuse', warn: 'Warn only', grace_then_block: 'Grace period, then refuse' };
// The choices of each select: every value the server knows, as the labels above name them all.
const MODELS = Object.keys(MODEL_LABELS) as Product['model'][];
const SEAT_UNITS = Object.keys(SEAT_LABELS) as Product['params']['seatUnit'][];
const OVER_QUOTA = Object.keys(OVER_QUOTA_LABELS) as Product['params']['overQuota'][];

// The rules of src/domain/catalog.ts, as the form checks them while the operator types.
const whole = (min: number) => (v: string) => (!/^\d+$/.test(v.trim()) ? 'must be a whole number' : Number(v) < min ? `must be at least ${min}` : null);
const optionalWhole = (min: number) => (v: string) => (v.trim() === '' ? null : whole(min)(v));
const rules = {
  code: (v: string) => (/^[a-z0-9][a-z0-9-]{1,49}$/.test(v) ? null : v === '' ? 'is required' : 'must be 2 to 50 lowercase letters, digits and dashes'),
  name: (v: string) => (v.trim() === '' ? 'is required' : v.length > 200 ? 'must be at most 200 characters' : null),
  supportUrl: (v: string) => (v.trim() === '' ? null : supportUrlProblem(v.trim())),
  licenseTypes: (v: string) => {
    const types = splitTypes(v);
    if (types.length > 10) return 'must be at most 10';
    const bad = types.find((t) => !/^[a-z][a-z0-9_]{0,29}$/.test(t));
    return bad ? `“${bad}” must start with a lowercase letter and hold only lowercase letters, digits and _` : null;
  },
  checkInMaxHours: whole(1),
  expiryGraceDays: whole(0),
  overuseGraceDays: whole(0),
  maxMoves: optionalWhole(0),
  usageReportDays: optionalWhole(1),
  validationMinutes: optionalWhole(1),
  trialDays: whole(1),
  trialSeats: whole(1),
};

const splitTypes = (v: string) => v.split(',').map((t) => t.trim()).filter(Boolean);
const text = (n: number | null) => (n === null ? '' : String(n));
const numberOrNull = (v: string) => (v.trim() === '' ? null : Number(v));

const PARAM_FIELDS = ['seatUnit', 'installationsPerKey', 'checkInMaxHours', 'checkInJitter', 'expiryGraceDays', 'overuseGraceDays', 'overQuota', 'maxMoves', 'usageReportDays', 'validationMinutes', 'trialDays', 'trialSeats'] as const;

function valuesOf(p: Product | null) {
  const params = p?.params;
  return {
    code: p?.code ?? '',
    name: p?.name ?? '',
    model: p?.model ?? 'per_device',
    licenseTypes: p?.licenseTypes.join(', ') ?? '',
    supportUrl: p?.supportUrl ?? '',
    seatUnit: params?.seatUnit ?? 'installation',
    installationsPerKey: params?.installationsPerKey === 1 ? '1' : 'many',
    checkInMaxHours: text(params?.checkInMaxHours ?? 168),
    checkInJitter: String(params?.checkInJitter ?? true),
    expiryGraceDays: text(params?.expiryGraceDays ?? 0),
    overuseGraceDays: text(params?.overuseGraceDays ?? 0),
    overQuota: params?.overQuota ?? 'block',
    maxMoves: text(params?.maxMoves ?? null),
    usageReportDays: text(params?.usageReportDays ?? null),
    validationMinutes: text(params?.validationMinutes ?? null),
    trialDays: text(params?.trialDays ?? 14),
    trialSeats: text(params?.trialSeats ?? 1),
  };
}

type Values = ReturnType<typeof valuesOf>;

/** A license type as the list shows it: its rules where they differ from the product's (the per-user SSO type). */
function typeWords(p: Product, type: string): string {
  const rule = p.licenseTypeRules[type];
  if (!rule) return type;
  const words = [
    rule.seatHolder === 'user' ? `per user, ${rule.machinesPerUser} machines each` : null,
    rule.minimumQuantity > 1 ? `${rule.minimumQuantity} at least` : null,
    rule.soldOnline ? null : 'not online',
    rule.sublicenses ? null : 'no sublicenses',
  ].filter(Boolean);
  return words.length > 0 ? `${type} (${words.join(', ')})` : type;
}

/**
 * The form's values as a product; what the form does not edit (features, payload types, upgrade,
 * the rules of license types) is kept from the product edited, the rules of the types it keeps.
 */
function toProduct(v: Values, edited: Product | null): Product {
  const licenseTypes = splitTypes(v.licenseTypes);
  return {
    features: edited?.features ?? [],
    licenseTypeRules: Object.fromEntries(Object.entries(edited?.licenseTypeRules ?? {}).filter(([type]) => licenseTypes.includes(type))),
    licenseTypeRequired: edited?.licenseTypeRequired ?? true,
    payloadTypes: edited?.payloadTypes ?? [],
    upgradeTo: edited?.upgradeTo ?? null,
    code: v.code,
    name: v.name.trim(),
    model: v.model as Product['model'],
    licenseTypes,
    params: {
      seatUnit: v.seatUnit as Product['params']['seatUnit'],
      installationsPerKey: v.installationsPerKey === '1' ? 1 : null,
      checkInMaxHours: Number(v.checkInMaxHours),
      checkInJitter: v.checkInJitter === 'true',
      expiryGraceDays: Number(v.expiryGraceDays),
      overuseGraceDays: Number(v.overuseGraceDays),
      overQuota: v.overQuota as Product['params']['overQuota'],
      maxMoves: numberOrNull(v.maxMoves),
      usageReportDays: numberOrNull(v.usageReportDays),
      validationMinutes: numberOrNull(v.validationMinutes),
      trialDays: Number(v.trialDays),
      trialSeats: Number(v.trialSeats),
    },
    supportUrl: v.supportUrl.trim() || null,
  };
}

/** The server names the licensing parameters "params.x"; the product code comes in the path. */
const serverNames = { code: 'params.code', ...Object.fromEntries(PARAM_FIELDS.map((f) => [f, `params.${f}`])) } as Partial<Record<keyof Values, string>>;

function ProductForm({ product, onSaved, onCancel }: { product: Product | null; onSaved(p: Product, created: boolean): void; onCancel(): void }) {
  const form = useForm(valuesOf(product), rules, { draft: `product:${product?.code ?? 'new'}`, serverNames });
  const v = form.values;
  const numberField = (name: keyof typeof rules & keyof Values, label: string, hint?: string) => (
    <TextField label={label} hint={hint} type="text" inputMode="numeric" field={form.field(name)} />
  );
  return (
    <form
      noValidate
      aria-labelledby="product-form-title"
      onSubmit={form.submit(async (values) => {
        const saved = await vendor.putProduct(toProduct(values, product));
        onSaved(saved.product, product === null);
      })}
    >
      <h2 id="product-form-title">{product ? `Edit ${product.name}` : 'Add a product'}</h2>
      <FormError message={form.formError} />
      <div className="params">
        {product ? (
          <div className="field">
            <span className="label-like">Code</span>
            <p>
              <code>{product.code}</code>
            </p>
          </div>
        ) : (
          <TextField label="Code" hint="Lowercase letters, digits and dashes; it cannot change later" autoFocus field={form.field('code')} />
        )}
        <TextField label="Name" autoFocus={product !== null} field={form.field('name')} />
        <SelectField label="Licensing model" field={form.field('model')}>
          {MODELS.map((m) => (
            <option key={m} value={m}>
              {MODEL_LABELS[m]}
            </option>
          ))}
        </SelectField>
        <TextField label="License types" hint="Comma-separated, for example desktop, mobile; empty when sold without types" field={form.field('licenseTypes')} />
        <TextField label="Support address" hint="A web page (https://…) or an email (mailto:…) shown on customers’ dashboards; empty for none" type="url" field={form.field('supportUrl')} />
      </div>
      <fieldset className="choices">
        <legend>Licensing parameters</legend>
        <div className="params">
          <SelectField label="Seat unit" field={form.field('seatUnit')}>
            {SEAT_UNITS.map((u) => (
              <option key={u} value={u}>
                {SEAT_LABELS[u]}
              </option>
            ))}
          </SelectField>
          <SelectField label="Installations per key" field={form.field('installationsPerKey')}>
            <option value="many">Many (one seat each)</option>
            <option value="1">One (seats from usage reports)</option>
          </SelectField>
          {numberField('checkInMaxHours', 'Check-in at most every (hours)')}
          <SelectField label="Check-in timing" field={form.field('checkInJitter')}>
            <option value="true">Random, up to the maximum</option>
            <option value="false">At the maximum</option>
          </SelectField>
          {numberField('expiryGraceDays', 'Grace after expiry (days)')}
          <SelectField label="Over quota" field={form.field('overQuota')}>
            {OVER_QUOTA.map((o) => (
              <option key={o} value={o}>
                {OVER_QUOTA_LABELS[o]}
              </option>
            ))}
          </SelectField>
          {numberField('overuseGraceDays', 'Overuse grace (days)')}
          {numberField('maxMoves', 'Moves of a bound key', 'Empty for unlimited')}
          {numberField('usageReportDays', 'Usage report every (days)', 'Empty when not reported')}
          {numberField('validationMinutes', 'Re-validation while over (minutes)', 'Empty for none')}
          {numberField('trialDays', 'Trial length (days)')}
          {numberField('trialSeats', 'Trial seats')}
        </div>
      </fieldset>
      <div className="form-actions">
        <button className="button primary" disabled={form.submitting}>
          {product ? 'Save product' : 'Add product'}
        </button>
        <button type="button" className="button secondary" onClick={onCancel}>
          Cancel
        </button>
        {v.model === 'per_managed_device' && v.installationsPerKey !== '1' && <span className="muted small">Managed devices usually come through one proxy installation per key.</span>}
      </div>
    </form>
  );
}

const dash = (n: number | null, unit = '') => (n === null ? '—' : `${n}${unit}`);

/** The catalog: each product's licensing model and parameters; operators add products and edit them. */
export function Products() {
  const { products, reload } = useCatalog();
  const [editing, setEditing] = useState<Product | 'new' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const open = (what: Product | 'new') => {
    setNotice(null);
    setEditing(what);
    window.scrollTo(0, 0);
  };
  return (
    <section>
      <div className="page-head section-head">
        <h1>Products</h1>
        {editing === null && (
          <button type="button" className="button primary" onClick={() => open('new')}>
            Add a product
          </button>
        )}
      </div>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {editing !== null && (
        <div className="panel">
          {/* Like a dialog's: Cancel ends the draft. */}
          <DraftLifetime.Provider value="until-closed">
            <ProductForm
              key={editing === 'new' ? 'new' : editing.code}
              product={editing === 'new' ? null : editing}
              onCancel={() => setEditing(null)}
              onSaved={(p, created) => {
                setEditing(null);
                setNotice(created ? `${p.name} was added to the catalog.` : `${p.name} was saved.`);
                reload();
              }}
            />
          </DraftLifetime.Provider>
        </div>
      )}
      {products.length === 0 ? (
        <Empty>
          <p>The catalog is empty. Add the first product.</p>
        </Empty>
      ) : (
        <DataTable
          label="Products"
          rows={products}
          rowKey={(p) => p.code}
          columns={[
            {
              header: 'Product',
              cell: (p) => (
                <>
                  {p.name}
                  <div className="small muted">
                    <code>{p.code}</code>
                    {p.licenseTypes.length > 0 && ` · types: ${p.licenseTypes.map((t) => typeWords(p, t)).join(', ')}${p.licenseTypeRequired ? '' : ' (optional)'}`}
                  </div>
                  {p.supportUrl && <div className="small muted">support: {p.supportUrl}</div>}
                </>
              ),
            },
            { header: 'Model', cell: (p) => MODEL_LABELS[p.model] },
            {
              header: 'Seats',
              cell: (p) => (
                <>
                  {SEAT_LABELS[p.params.seatUnit]}
                  <div className="small muted">{p.params.installationsPerKey === 1 ? `one installation per key, ${p.params.maxMoves === null ? 'unlimited' : p.params.maxMoves} moves` : 'many installations per key'}</div>
                </>
              ),
            },
            {
              header: 'Check-in',
              cell: (p) => (
                <>
                  ≤ {p.params.checkInMaxHours} h{p.params.checkInJitter && <div className="small muted">random</div>}
                  {p.params.usageReportDays !== null && <div className="small muted">usage every {p.params.usageReportDays} d</div>}
                </>
              ),
            },
            {
              header: 'Over quota',
              cell: (p) => (
                <>
                  {OVER_QUOTA_LABELS[p.params.overQuota]}
                  {p.params.validationMinutes !== null && <div className="small muted">re-check every {p.params.validationMinutes} min</div>}
                </>
              ),
            },
            {
              header: 'Grace',
              className: 'nowrap',
              cell: (p) => (
                <>
                  expiry {dash(p.params.expiryGraceDays, ' d')}
                  <div className="small muted">overuse {dash(p.params.overuseGraceDays, ' d')}</div>
                </>
              ),
            },
            {
              header: 'Trial',
              className: 'nowrap',
              cell: (p) => `${p.params.trialDays} d, ${p.params.trialSeats} seat${p.params.trialSeats === 1 ? '' : 's'}`,
            },
          ]}
          actions={(p) => (
            <button type="button" className="button link" aria-label={`Edit ${p.name}`} onClick={() => open(p)}>
              Edit
            </button>
          )}
        />
      )}
    </section>
  );
}
