import { useState, type ReactNode } from 'react';
import { ApiError } from './api';
import { rules, SelectField, TextField, useForm } from './forms';
import { useDraftEnd, useKeptState, type KeptCodec } from './kept';
import { PayloadEditor } from './payload-editor';
import type { Payload, ProductPayloadTypes } from './profile-data';
import { Link } from './router';
import { SavingForm } from './saving-form';
import { formatDateTime } from './format';

// What the pages of named sets of payloads of one product share (configuration profiles, group
// policies): the head of their list, a set's facts, and its form with the payload pane.

const nameRule = (v: string) => rules.required(v) ?? (v.trim().length > 100 ? 'must be at most 100 characters' : null);

const isPayload = (p: unknown): p is Payload => {
  const { type, enabled, settings } = (p ?? {}) as Partial<Record<keyof Payload, unknown>>;
  return typeof type === 'string' && typeof enabled === 'boolean' && typeof settings === 'object' && settings !== null && !Array.isArray(settings);
};

/** The payloads as typed, kept whole or not at all: a payload's place is what the server's messages count by. */
const keptPayloads: KeptCodec<Payload[]> = {
  store: (payloads) => payloads,
  revive: (stored) => (Array.isArray(stored) && stored.every(isPayload) ? stored : null),
};

/**
 * An answer's messages about payloads (`payloads.<n>…`) go to the payload pane; the error left for
 * the form is the rest, or a sentence that sends the reader to the marked payloads.
 */
function splitPayloadErrors(err: unknown, types: ProductPayloadTypes['types'], payloads: readonly Payload[]): { payloads: Record<string, string>; rest: unknown } {
  if (!(err instanceof ApiError)) return { payloads: {}, rest: err };
  const mine = Object.fromEntries(Object.entries(err.fields).filter(([at]) => at.startsWith('payloads.')));
  if (Object.keys(mine).length === 0) return { payloads: {}, rest: err };
  const named = payloads.filter((_, n) => Object.keys(mine).some((at) => at.startsWith(`payloads.${n}.`))).map((p) => types.find((t) => t.type === p.type)?.name ?? p.type);
  const others = err.problems.filter((p) => !Object.keys(p.fields).some((at) => at.startsWith('payloads.')));
  return { payloads: mine, rest: new ApiError(err.status, err.code, `Fix the settings marked in ${named.join(', ')}.`, others) };
}

/** What the form sends: a saved set keeps its product, so `product` is the one chosen or its own. */
export interface PayloadSetFields {
  name: string;
  product: string;
  payloads: Payload[];
}

export interface PayloadSetFormProps {
  /** The products it may be of; a saved set is given its own only. */
  products: ProductPayloadTypes[];
  saved: PayloadSetFields | null;
  /** Where the unsent form waits across a reload: a name unique among the forms, with the set's id. */
  draft: string;
  /** What the set is called: "Profile", "Policy". */
  noun: string;
  nameHint: string;
  /** The button's words. */
  label: string;
  /** What the status beside the button says once a save went through. */
  note: string;
  /** Sends the set; a refusal's messages about payloads land in the pane, the others at the fields. */
  onSave(fields: PayloadSetFields): Promise<void>;
}

/** The head of a list of sets: its title and what the sets do, its Create link once a product takes them, and the notice of the last change. */
export function PayloadSetsHead({ title, create, notice, children }: { title: string; create: { href: string; label: string } | null; notice: string | null; children: ReactNode }) {
  return (
    <>
      <div className="page-head page-head-actions">
        <div>
          <h1>{title}</h1>
          <p className="muted">{children}</p>
        </div>
        {create && (
          <div className="head-links">
            <Link className="button primary" href={create.href}>
              {create.label}
            </Link>
          </div>
        )}
      </div>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
    </>
  );
}

/** A saved set's facts above its form: its product, version, what it is given to, and its last change. */
export function PayloadSetFacts({ productName, version, updatedAt, assignedTo }: { productName: string; version: number; updatedAt: string; assignedTo: { label: string; value: ReactNode } }) {
  return (
    <dl className="facts">
      <div>
        <dt>Product</dt>
        <dd>{productName}</dd>
      </div>
      <div>
        <dt>Version</dt>
        <dd>{version}</dd>
      </div>
      <div>
        <dt>{assignedTo.label}</dt>
        <dd>{assignedTo.value}</dd>
      </div>
      <div>
        <dt>Last changed</dt>
        <dd>{formatDateTime(updatedAt)}</dd>
      </div>
    </dl>
  );
}

/** The names of the payloads a set delivers, and how many it keeps switched off: a cell of the lists. */
export function PayloadsCell({ set, products }: { set: Pick<PayloadSetFields, 'product' | 'payloads'>; products: readonly ProductPayloadTypes[] }) {
  const types = products.find((p) => p.product === set.product)?.types ?? [];
  const on = set.payloads.filter((p) => p.enabled).map((p) => types.find((t) => t.type === p.type)?.name ?? p.type);
  const off = set.payloads.length - on.length;
  return (
    <>
      {on.length > 0 ? on.join(', ') : <span className="muted">None enabled</span>}
      {off > 0 && <div className="muted small">{off} switched off</div>}
    </>
  );
}

export function PayloadSetForm({ products, saved, draft, noun, nameHint, label, note, onSave }: PayloadSetFormProps) {
  const form = useForm(
    { name: saved?.name ?? '', product: saved?.product ?? (products.length === 1 ? products[0]!.product : '') },
    { name: nameRule, product: (v) => rules.required(v) && 'Choose a product' },
    { draft },
  );
  const [payloads, setPayloads] = useKeptState<Payload[]>(`${draft}:payloads`, saved?.payloads ?? [], keptPayloads);
  const payloadsSent = useDraftEnd(`${draft}:payloads`);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const product = products.find((p) => p.product === form.values.product);
  const types = product?.types ?? [];

  return (
    <SavingForm
      form={form}
      className="profile-form"
      label={label}
      note={note}
      onSave={async ({ name, product: code }) => {
        try {
          await onSave({ name: name.trim(), product: code, payloads: [...payloads] });
          payloadsSent();
          setErrors({});
        } catch (err) {
          const split = splitPayloadErrors(err, types, payloads);
          setErrors(split.payloads);
          throw split.rest;
        }
      }}
    >
      <div className="row">
        <TextField label={`${noun} name`} hint={nameHint} autoComplete="off" field={form.field('name')} />
        {!saved && products.length > 1 && (
          <SelectField
            label="Product"
            hint="The product whose installations receive it"
            field={{
              ...form.field('product'),
              onChange: (code) => {
                form.set('product', code);
                // Payloads of a type the other product does not have cannot go with it.
                const kept = products.find((p) => p.product === code)?.types ?? [];
                setPayloads((ps) => ps.filter((p) => kept.some((t) => t.type === p.type)));
              },
            }}
          >
            <option value="">Choose a product…</option>
            {products.map((p) => (
              <option key={p.product} value={p.product}>
                {p.productName}
              </option>
            ))}
          </SelectField>
        )}
      </div>
      <h2>Payloads</h2>
      {product ? (
        <PayloadEditor types={types} payloads={payloads} onChange={setPayloads} errors={errors} kept={draft} />
      ) : (
        <p className="muted">Choose the product first: its payload types show here.</p>
      )}
    </SavingForm>
  );
}
