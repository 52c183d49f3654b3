import type { LicenseKeyRow, SubscriptionDetails } from '../api';
import { FormError, SelectField, useForm } from '../forms';
import { assignKeyProfile, listProfiles, profilesHref, type ConfigurationProfile } from '../profile-data';
import { Link } from '../router';
import { DialogActions, Load, useLoad } from '../ui';
import { DEFAULT_PROFILE_NAME } from '../../../src/domain/default-profile';
import { endSentence } from '../../../src/domain/sentence';

// The configuration profile of one license key (the guide's Configuration Profile tab of a key's settings).

const DEFAULT_CHOICE = 'default';

/** The products a key's installations can be of: its own, or each of the subscription's for the primary key. */
const productsOfKey = (key: LicenseKeyRow, details: SubscriptionDetails) =>
  key.kind === 'primary' ? details.products.map((p) => p.productCode) : details.products.filter((p) => p.itemId === key.itemId).map((p) => p.productCode);

/** The details once a key has another profile: each of its rows (a primary key has one per product) names it. */
export const withKeyProfile = (details: SubscriptionDetails, keyId: string, profile: { id: string | null; name: string }): SubscriptionDetails => ({
  ...details,
  keys: details.keys.map((k) => (k.id === keyId ? { ...k, profile: profile.id === null ? null : { id: profile.id, name: profile.name } } : k)),
});

function KeyProfileForm({
  accountId,
  details,
  keyRow,
  choices,
  onDone,
  onCancel,
}: {
  accountId: string;
  details: SubscriptionDetails;
  keyRow: LicenseKeyRow;
  choices: ConfigurationProfile[];
  onDone(message: string, profile: { id: string | null; name: string }): void;
  onCancel(): void;
}) {
  const form = useForm({ profileId: keyRow.profile?.id ?? DEFAULT_CHOICE }, {}, { draft: `key-profile:${keyRow.id}` });
  const severalProducts = new Set(choices.map((p) => p.product)).size > 1;
  const productName = (code: string) => details.products.find((p) => p.productCode === code)?.productName ?? code;
  return (
    <form
      noValidate
      onSubmit={form.submit(async ({ profileId }) => {
        const assigned = await assignKeyProfile({ accountId, subscriptionId: details.subscription.id, keyId: keyRow.id }, profileId === DEFAULT_CHOICE ? null : profileId);
        onDone(endSentence(`${keyRow.name} now uses ${assigned.name}; its installations receive it at their next check-in`), assigned);
      })}
    >
      <FormError message={form.formError} />
      <p>{keyRow.profile ? `${keyRow.name} uses ${keyRow.profile.name}.` : `Configuration profile is not set: ${keyRow.name} uses ${DEFAULT_PROFILE_NAME}, which changes nothing.`}</p>
      <SelectField label="Configuration profile" hint={`${DEFAULT_PROFILE_NAME} is built in and has no payloads.`} field={form.field('profileId')}>
        <option value={DEFAULT_CHOICE}>{DEFAULT_PROFILE_NAME}</option>
        {choices.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
            {severalProducts ? ` (${productName(p.product)})` : ''}
          </option>
        ))}
      </SelectField>
      {choices.length === 0 && (
        <p className="muted">
          There is no profile of this key’s product yet: <Link href={`${profilesHref}/new`}>create one</Link> on the Configuration Profiles page.
        </p>
      )}
      <DialogActions label="Save" disabled={form.submitting} onCancel={onCancel} />
    </form>
  );
}

/** The profiles a key may have (those of its products) to choose from, or Default. */
export function KeyProfile(props: {
  accountId: string;
  details: SubscriptionDetails;
  keyRow: LicenseKeyRow;
  onDone(message: string, profile: { id: string | null; name: string }): void;
  onCancel(): void;
}) {
  const [profiles, retry] = useLoad(() => listProfiles(props.accountId), [props.accountId]);
  const products = productsOfKey(props.keyRow, props.details);
  return (
    <Load state={profiles} retry={retry} label="the configuration profiles">
      {(items) => <KeyProfileForm {...props} choices={items.filter((p) => products.includes(p.product))} />}
    </Load>
  );
}
