import { useState } from 'react';
import { ActionsMenu } from '../actions-menu';
import { ApiError } from '../api';
import { DataTable } from '../data-table';
import { FormError, SelectField, useForm } from '../forms';
import { formatDate } from '../format';
import { PayloadSetsHead, PayloadsCell } from '../payload-sets';
import { deleteProfile, listPayloadTypes, listProfiles, profileHref, profilesHref, type ConfigurationProfile } from '../profile-data';
import { Link } from '../router';
import { useSession } from '../session';
import { subscriptionHref } from '../subscription-data';
import { Badge, ConfirmDialog, Dialog, DialogActions, Empty, Load, useLoad } from '../ui';
import { DEFAULT_PROFILE_NAME } from '../../../src/domain/default-profile';
import { endSentence } from '../../../src/domain/sentence';

// The account's configuration profiles (capability 9): the list, and deleting one.

/** A row of the list: the built-in Default, or a profile of the account. */
type Row = { builtIn: true } | { builtIn: false; profile: ConfigurationProfile };

const keysText = (count: number) => `${count} license key${count === 1 ? '' : 's'}`;

function KeysCell({ profile, accountId }: { profile: ConfigurationProfile; accountId: string }) {
  if (profile.keys.length === 0) return <span className="muted">None</span>;
  return (
    <ul className="plain-list">
      {profile.keys.map((k) => (
        <li key={k.id}>
          <Link href={subscriptionHref({ id: k.subscriptionId, accountId }, accountId)}>{k.name}</Link>
        </li>
      ))}
    </ul>
  );
}

/**
 * Deleting a profile: at once while no key uses it; otherwise its keys are given another profile
 * of the same product, or Default, in the same step, as the API does it.
 */
function DeleteProfile({
  profile,
  profiles,
  accountId,
  onCancel,
  onDeleted,
  onStale,
}: {
  profile: ConfigurationProfile;
  profiles: ConfigurationProfile[];
  accountId: string;
  onCancel(): void;
  onDeleted(message: string): void;
  /** Called when the list shown is behind the server's (a key was given the profile meanwhile). */
  onStale(): void;
}) {
  const form = useForm({ reassignTo: 'default' }, {}, { draft: `delete-profile:${profile.id}`, serverNames: { reassignTo: 'querystring.reassignTo' } });
  const others = profiles.filter((p) => p.id !== profile.id && p.product === profile.product);
  if (profile.keys.length === 0) {
    return (
      <ConfirmDialog
        title="Delete configuration profile"
        action="Delete profile"
        onCancel={onCancel}
        onConfirm={async () => {
          try {
            await deleteProfile(accountId, profile.id, undefined);
          } catch (err) {
            // Its keys then show, and the dialog asks where they go.
            if (err instanceof ApiError && err.code === 'profile_in_use') onStale();
            throw err;
          }
          onDeleted(endSentence(`“${profile.name}” was deleted`));
        }}
      >
        <p>
          Delete <strong>{profile.name}</strong>? No license key uses it.
        </p>
      </ConfirmDialog>
    );
  }
  return (
    <Dialog title="Delete configuration profile" onClose={onCancel}>
      <form
        noValidate
        onSubmit={form.submit(async ({ reassignTo }) => {
          await deleteProfile(accountId, profile.id, reassignTo);
          const target = reassignTo === 'default' ? DEFAULT_PROFILE_NAME : (others.find((p) => p.id === reassignTo)?.name ?? 'another profile');
          onDeleted(endSentence(`“${profile.name}” was deleted; its ${keysText(profile.keys.length)} now use${profile.keys.length === 1 ? 's' : ''} ${target}`));
        })}
      >
        <FormError message={form.formError} />
        <p>
          {keysText(profile.keys.length)} {profile.keys.length === 1 ? 'uses' : 'use'} <strong>{profile.name}</strong>: {profile.keys.map((k) => k.name).join(', ')}. Choose the profile they use instead; their installations receive it at
          their next check-in.
        </p>
        <SelectField label="Profile for its keys" field={form.field('reassignTo')}>
          <option value="default">{DEFAULT_PROFILE_NAME} (built-in, no payloads)</option>
          {others.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </SelectField>
        <DialogActions label="Delete profile" disabled={form.submitting} onCancel={onCancel} />
      </form>
    </Dialog>
  );
}

/** The Configuration Profiles page: the built-in Default, then the account's profiles, with what each delivers and the keys it is assigned to. */
export function ConfigurationProfiles({ created }: { created: string | null }) {
  const { account } = useSession();
  const [state, reload] = useLoad(async () => {
    const [products, profiles] = await Promise.all([listPayloadTypes(account.id), listProfiles(account.id)]);
    return { products, profiles };
  }, [account.id]);
  const [deleting, setDeleting] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <section>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link href="/">Dashboard</Link> › <span aria-current="page">Configuration Profiles</span>
      </nav>
      <Load state={state} retry={reload} label="the configuration profiles">
        {({ products, profiles }) => {
          const productName = (code: string) => products.find((p) => p.product === code)?.productName ?? code;
          const createdProfile = profiles.find((p) => p.id === created);
          const deletingProfile = profiles.find((p) => p.id === deleting);
          const rows: Row[] = [{ builtIn: true }, ...profiles.map((profile) => ({ builtIn: false as const, profile }))];
          return (
            <>
              <PayloadSetsHead
                title="Configuration Profiles"
                create={products.length > 0 ? { href: `${profilesHref}/new`, label: 'Create Profile' } : null}
                notice={notice ?? (createdProfile ? `“${createdProfile.name}” was created. To give it to a license key, open the key’s subscription and choose Configuration profile in the key’s actions.` : null)}
              >
                Settings the computers of {account.name} receive from the license server, at activation and at their next check-in. Give a profile to a license key from the License Keys table
                of its subscription; a key without one uses the built-in Default.
              </PayloadSetsHead>
              {products.length === 0 && (
                <Empty>
                  <p>None of the products of {account.name}’s subscriptions takes configuration profiles: its keys use the built-in Default.</p>
                </Empty>
              )}
              <DataTable
                label="Configuration profiles"
                rows={rows}
                rowKey={(r) => (r.builtIn ? 'default' : r.profile.id)}
                columns={[
                  {
                    header: 'Name',
                    cell: (r) =>
                      r.builtIn ? (
                        <>
                          {DEFAULT_PROFILE_NAME} <Badge tone="neutral">Built-in</Badge>
                        </>
                      ) : (
                        <Link href={profileHref(r.profile.id)}>{r.profile.name}</Link>
                      ),
                  },
                  { header: 'Product', cell: (r) => (r.builtIn ? 'Every product' : productName(r.profile.product)) },
                  { header: 'Version', className: 'num', cell: (r) => (r.builtIn ? '1' : r.profile.version) },
                  { header: 'Payloads', cell: (r) => (r.builtIn ? <span className="muted">None: it changes nothing</span> : <PayloadsCell set={r.profile} products={products} />) },
                  { header: 'License keys', cell: (r) => (r.builtIn ? <span className="muted">Every key without a profile of its own</span> : <KeysCell profile={r.profile} accountId={account.id} />) },
                  { header: 'Last changed', cell: (r) => (r.builtIn ? <span className="muted">never</span> : formatDate(r.profile.updatedAt)) },
                ]}
                actions={(r) =>
                  !r.builtIn && (
                    <ActionsMenu
                      rowName={r.profile.name}
                      actions={[
                        { label: 'Edit', href: profileHref(r.profile.id) },
                        {
                          label: 'Delete',
                          danger: true,
                          onSelect: () => {
                            setNotice(null);
                            setDeleting(r.profile.id);
                          },
                        },
                      ]}
                    />
                  )
                }
              />
              {deletingProfile && (
                <DeleteProfile
                  profile={deletingProfile}
                  profiles={profiles}
                  accountId={account.id}
                  onCancel={() => setDeleting(null)}
                  onStale={reload}
                  onDeleted={(message) => {
                    setDeleting(null);
                    setNotice(message);
                    reload();
                  }}
                />
              )}
            </>
          );
        }}
      </Load>
    </section>
  );
}
