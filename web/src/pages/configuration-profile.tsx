import { useState } from 'react';
import { ApiError } from '../api';
import { rules, SelectField, TextField, useForm } from '../forms';
import { formatDateTime } from '../format';
import { useDraftEnd, useKeptState, type KeptCodec } from '../kept';
import { PayloadEditor } from '../payload-editor';
import { createProfile, getProfile, listPayloadTypes, profilesHref, saveProfile, type ConfigurationProfile, type Payload, type ProductPayloadTypes } from '../profile-data';
import { Link, navigate } from '../router';
import { SavingForm } from '../saving-form';
import { useSession } from '../session';
import { Empty, Load, useLoad } from '../ui';

// One configuration profile, new or saved: its name, its product, and its payloads in the payload pane.

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

function ProfileForm({ products, profile, onSaved }: { products: ProductPayloadTypes[]; profile: ConfigurationProfile | null; onSaved(profile: ConfigurationProfile): void }) {
  const { account } = useSession();
  const draft = `configuration-profile:${profile?.id ?? 'new'}`;
  const form = useForm(
    { name: profile?.name ?? '', product: profile?.product ?? (products.length === 1 ? products[0]!.product : '') },
    { name: nameRule, product: (v) => rules.required(v) && 'Choose a product' },
    { draft },
  );
  const [payloads, setPayloads] = useKeptState<Payload[]>(`${draft}:payloads`, profile?.payloads ?? [], keptPayloads);
  const payloadsSent = useDraftEnd(`${draft}:payloads`);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const product = products.find((p) => p.product === form.values.product);
  const types = product?.types ?? [];

  return (
    <SavingForm
      form={form}
      className="profile-form"
      label={profile ? 'Save profile' : 'Create profile'}
      note="Saved. Installations receive the change at their next check-in."
      onSave={async ({ name, product: code }) => {
        const body = { name: name.trim(), payloads: [...payloads] };
        try {
          const saved = profile ? await saveProfile(account.id, profile.id, body) : await createProfile(account.id, { ...body, product: code });
          payloadsSent();
          setErrors({});
          onSaved(saved);
        } catch (err) {
          const split = splitPayloadErrors(err, types, payloads);
          setErrors(split.payloads);
          throw split.rest;
        }
      }}
    >
      <div className="row">
        <TextField label="Profile name" hint="For example the team or the kind of computer it is for" autoComplete="off" field={form.field('name')} />
        {!profile && products.length > 1 && (
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

const Breadcrumb = ({ current }: { current: string }) => (
  <nav aria-label="Breadcrumb" className="breadcrumb">
    <Link href="/">Dashboard</Link> › <Link href={profilesHref}>Configuration Profiles</Link> › <span aria-current="page">{current}</span>
  </nav>
);

function NoProducts() {
  const { account } = useSession();
  return (
    <Empty>
      <p>None of the products of {account.name}’s subscriptions takes configuration profiles.</p>
    </Empty>
  );
}

export function NewProfile() {
  const { account } = useSession();
  const [products, reload] = useLoad(() => listPayloadTypes(account.id), [account.id]);
  return (
    <section>
      <Breadcrumb current="New profile" />
      <div className="page-head">
        <h1>New configuration profile</h1>
        <p className="muted">Choose the payloads it delivers and enable each one; a payload switched off keeps its settings for later.</p>
      </div>
      <Load state={products} retry={reload} label="the payload types">
        {(items) => (items.length === 0 ? <NoProducts /> : <ProfileForm products={items} profile={null} onSaved={(saved) => navigate(`${profilesHref}?created=${encodeURIComponent(saved.id)}`)} />)}
      </Load>
    </section>
  );
}

export function EditProfile({ profileId }: { profileId: string }) {
  const { account } = useSession();
  const [state, reload, change] = useLoad(async () => {
    const [products, profile] = await Promise.all([listPayloadTypes(account.id), getProfile(account.id, profileId)]);
    return { products, profile };
  }, [account.id, profileId]);
  return (
    <section>
      <Load state={state} retry={reload} label="the configuration profile">
        {({ products, profile }) => {
          const product = products.find((p) => p.product === profile.product);
          return (
            <>
              <Breadcrumb current={profile.name} />
              <div className="page-head">
                <h1>{profile.name}</h1>
              </div>
              <dl className="facts">
                <div>
                  <dt>Product</dt>
                  <dd>{product?.productName ?? profile.product}</dd>
                </div>
                <div>
                  <dt>Version</dt>
                  <dd>{profile.version}</dd>
                </div>
                <div>
                  <dt>License keys</dt>
                  <dd>{profile.keys.length === 0 ? 'None yet' : profile.keys.map((k) => k.name).join(', ')}</dd>
                </div>
                <div>
                  <dt>Last changed</dt>
                  <dd>{formatDateTime(profile.updatedAt)}</dd>
                </div>
              </dl>
              {product ? (
                <ProfileForm products={[product]} profile={profile} onSaved={(saved) => change((d) => ({ ...d, profile: saved }))} />
              ) : (
                <p className="state state-error">The product of this profile is no longer among the subscriptions of {account.name}, so its payloads cannot be edited here.</p>
              )}
            </>
          );
        }}
      </Load>
    </section>
  );
}
