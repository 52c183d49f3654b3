import { answer, api, type LicenseKeyRow, type ProductSeats, type SubscriptionDetails, type SubscriptionProduct } from '../api';
import { Choice, FormError, rules, SelectField, TextField, useForm } from '../forms';
import { dateInputValue } from '../format';
import { KeyAdmins } from './key-admins';
import { KeyProfile, withKeyProfile } from './key-profile';
import { BuyMoreLicenses, RenameSubscription, RenewSubscription } from './subscription-actions';
import { ConfirmDialog, Dialog, DialogActions } from '../ui';

// The dialogs of a subscription's details page: its license keys', and the subscription-wide actions'.

export type KeyDialog =
  | { mode: 'create' }
  | { mode: 'edit'; key: LicenseKeyRow }
  | { mode: 'delete'; key: LicenseKeyRow }
  | { mode: 'admins'; key: LicenseKeyRow }
  | { mode: 'profile'; key: LicenseKeyRow }
  | { mode: 'rename' | 'renew' | 'buy' };

export const quotaRule = (v: string) => (!/^\d+$/.test(v.trim()) ? 'must be a whole number' : Number(v) < 1 ? 'must be at least 1' : null);
const dateRule = (v: string, all: { expires: string }) =>
  all.expires !== 'custom' ? null : !v ? 'is required' : new Date(`${v}T23:59:59`) <= new Date() ? 'must be in the future' : null;
/** The seats of a product no key holds or reserves, which the quota is given from: "3 of 10 seats are left to give." */
export const seatsLeft = (p: SubscriptionProduct, named: boolean) =>
  `${p.availableInMainPool} of ${p.quantity} seat${p.quantity === 1 ? '' : 's'}${named ? ` of ${p.productName}` : ''} ${p.availableInMainPool === 1 ? 'is' : 'are'} left to give.`;
const SEAT_UNITS: Record<SubscriptionProduct['seatUnit'], string> = { installation: 'installations', user: 'users', concurrent_user: 'concurrent users', managed_device: 'managed devices' };
/** What a key's quota counts: the installations that may use it, or what the one installation it activates (a farm, a proxy) may serve. */
const quotaMeaning = (p: SubscriptionProduct) =>
  p.installationsPerKey === 1 ? `How many ${SEAT_UNITS[p.seatUnit]} the installation activated with this key may serve.` : `How many ${SEAT_UNITS[p.seatUnit]} may use this key.`;
/** What deleting a key stops: a bound key's use is what its installation reports, not a count of installations. */
const deletionOutcome = (key: LicenseKeyRow, p: SubscriptionProduct | undefined) => {
  if (p?.installationsPerKey === 1) return 'The installation activated with it, if any, is deactivated, and its seats return to the subscription.';
  return `${key.used > 0 ? `Its ${key.used} installation${key.used === 1 ? ' is' : 's are'} deactivated and its` : 'Its'} seats return to the subscription.`;
};
/** A custom expiration date means the end of that day, where the user is. */
const endOfDay = (date: string) => new Date(`${date}T23:59:59`).toISOString();

function KeyForm({ details, accountId, dialog, onDone, onCancel }: { details: SubscriptionDetails; accountId: string; dialog: Extract<KeyDialog, { mode: 'create' | 'edit' }>; onDone(seats: ProductSeats): void; onCancel(): void }) {
  const editing = dialog.mode === 'edit' ? dialog.key : null;
  const form = useForm(
    {
      itemId: editing?.itemId ?? details.products[0]?.itemId ?? '',
      name: editing?.name ?? '',
      kind: 'dynamic',
      quota: editing ? String(editing.quota) : '1',
      expires: editing && !editing.renewsWithSubscription ? 'custom' : 'subscription',
      date: editing && !editing.renewsWithSubscription ? editing.expiresAt.slice(0, 10) : dateInputValue(30),
    },
    { itemId: rules.required, name: rules.required, quota: quotaRule, date: dateRule },
    { draft: `license-key:${details.subscription.id}:${editing?.id ?? 'new'}`, serverNames: { date: 'expiresAt' } },
  );
  const v = form.values;
  const product = details.products.find((p) => p.itemId === (editing?.itemId ?? v.itemId));
  return (
    <form
      noValidate
      onSubmit={form.submit(async (values) => {
        const common = { name: values.name.trim(), quota: Number(values.quota), expiresAt: values.expires === 'custom' ? endOfDay(values.date) : null };
        const subscription = { accountId, subscriptionId: details.subscription.id };
        const changed = editing
          ? await answer(api.PATCH('/api/v1/accounts/{accountId}/subscriptions/{subscriptionId}/keys/{keyId}', { params: { path: { ...subscription, keyId: editing.id } }, body: common }))
          : await answer(api.POST('/api/v1/accounts/{accountId}/subscriptions/{subscriptionId}/keys', { params: { path: subscription }, body: { itemId: values.itemId, kind: values.kind === 'reserved' ? 'reserved' : 'dynamic', ...common } }));
        onDone(changed.seats);
      })}
    >
      <FormError message={form.formError} />
      {!editing && details.products.length > 1 && (
        <SelectField label="Product" field={form.field('itemId')}>
          {details.products.map((p) => (
            <option key={p.itemId} value={p.itemId}>
              {p.productName}
              {p.licenseType ? ` (${p.licenseType})` : ''}
            </option>
          ))}
        </SelectField>
      )}
      <TextField label="Name" hint="For example the team or office that will use it" field={form.field('name')} />
      {!editing && (
        <fieldset className="choices">
          <legend>Type</legend>
          <Choice name="kind" label="Dynamic" hint="Shares the free seats of the subscription, up to its quota" checked={v.kind === 'dynamic'} onSelect={() => form.set('kind', 'dynamic')} />
          <Choice name="kind" label="Reserved" hint="Sets its quota of seats aside for this key only" checked={v.kind === 'reserved'} onSelect={() => form.set('kind', 'reserved')} />
        </fieldset>
      )}
      <TextField label="Quota" type="number" inputMode="numeric" min={1} hint={product ? `${quotaMeaning(product)} ${seatsLeft(product, details.products.length > 1)}` : undefined} field={form.field('quota')} />
      <fieldset className="choices">
        <legend>Expiration</legend>
        <Choice name="expires" label="With the subscription" hint="Follows its renewals" checked={v.expires === 'subscription'} onSelect={() => form.set('expires', 'subscription')} />
        <Choice name="expires" label="On a date of my choice" checked={v.expires === 'custom'} onSelect={() => form.set('expires', 'custom')} />
      </fieldset>
      {v.expires === 'custom' && <TextField label="Expires on" type="date" min={dateInputValue(1)} field={form.field('date')} />}
      <DialogActions label={editing ? 'Save changes' : 'Create license key'} disabled={form.submitting} onCancel={onCancel} />
    </form>
  );
}

/**
 * The open dialog of the details page. `finish` closes it with a notice and applies what the
 * change answered to the details shown; `finishWithSeats` does so with a key change's seats.
 */
export function SubscriptionDialog({
  dialog,
  details: d,
  accountId,
  onClose,
  finish,
  finishWithSeats,
}: {
  dialog: KeyDialog;
  details: SubscriptionDetails;
  accountId: string;
  onClose(): void;
  finish(message: string): (apply: (details: SubscriptionDetails) => SubscriptionDetails) => void;
  finishWithSeats(message: string): (seats: ProductSeats) => void;
}) {
  const s = d.subscription;
  return (
    <>
      {dialog.mode === 'rename' && (
        <Dialog title="Rename subscription" onClose={onClose}>
          <RenameSubscription details={d} accountId={accountId} onCancel={onClose} onDone={finish('The subscription was renamed.')} />
        </Dialog>
      )}
      {dialog.mode === 'renew' && (
        <Dialog title="Renew subscription" onClose={onClose}>
          <RenewSubscription details={d} accountId={accountId} onCancel={onClose} onDone={finish('The subscription was renewed.')} />
        </Dialog>
      )}
      {dialog.mode === 'buy' && (
        <Dialog title="Buy more licenses" onClose={onClose}>
          <BuyMoreLicenses details={d} accountId={accountId} onCancel={onClose} onDone={finish('The licenses were added.')} />
        </Dialog>
      )}
      {dialog.mode === 'admins' && (
        <Dialog title={`License Administrators of ${dialog.key.name}`} onClose={onClose}>
          <KeyAdmins accountId={accountId} subscriptionId={s.id} keyRow={dialog.key} onClose={onClose} />
        </Dialog>
      )}
      {dialog.mode === 'profile' && (
        <Dialog title={`Configuration profile of ${dialog.key.name}`} onClose={onClose}>
          <KeyProfile
            accountId={accountId}
            details={d}
            keyRow={dialog.key}
            onCancel={onClose}
            onDone={(message, profile) => finish(message)((details) => withKeyProfile(details, dialog.key.id, profile))}
          />
        </Dialog>
      )}
      {dialog.mode === 'delete' && (
        <ConfirmDialog
          title="Delete license key"
          action="Delete license key"
          onCancel={onClose}
          onConfirm={async () => {
            const deleted = await answer(api.DELETE('/api/v1/accounts/{accountId}/subscriptions/{subscriptionId}/keys/{keyId}', { params: { path: { accountId, subscriptionId: s.id, keyId: dialog.key.id } } }));
            finishWithSeats(`${dialog.key.name} was deleted.`)(deleted.seats);
          }}
        >
          <p>
            Delete <strong>{dialog.key.name}</strong>?{' '}
            {deletionOutcome(dialog.key, d.products.find((p) => p.itemId === dialog.key.itemId))}
          </p>
        </ConfirmDialog>
      )}
      {(dialog.mode === 'create' || dialog.mode === 'edit') && (
        <Dialog title={dialog.mode === 'create' ? 'Create License Key' : `Edit ${dialog.key.name}`} onClose={onClose}>
          <KeyForm
            details={d}
            accountId={accountId}
            dialog={dialog}
            onCancel={onClose}
            onDone={finishWithSeats(dialog.mode === 'create' ? 'The license key was created.' : 'Your changes were saved.')}
          />
        </Dialog>
      )}
    </>
  );
}
