import { useState } from 'react';
import { ActionsMenu } from '../actions-menu';
import type { SubscriptionDetails } from '../api';
import { DataTable } from '../data-table';
import { FormError, rules, SelectField, TextField, useForm } from '../forms';
import { useDraftEnd, useKeptState } from '../kept';
import {
  createUserGroup,
  deleteUserGroup,
  listPolicies,
  listUserGroups,
  policiesHref,
  policyHref,
  productsWith,
  saveUserGroup,
  userGroupsHref,
  USER_GROUPS_FEATURE,
  type Policy,
  type UserGroup,
} from '../management-data';
import { listPayloadTypes } from '../profile-data';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { listSubscriptionDetails, subscriptionHref } from '../subscription-data';
import { ConfirmDialog, CopyButton, Dialog, DialogActions, Empty, Load, useLoad } from '../ui';
import { quotaRule, seatsLeft } from './subscription-dialogs';
import { keyEnding } from '../../../src/domain/license-key';
import { endSentence } from '../../../src/domain/sentence';

// The user groups of an Enterprise subscription (the guide's "Dividing Users into Groups with
// Sublicenses"): each bound to its own sublicense, which the server makes, with a policy if chosen.

/** The open dialog, kept across a reload with what was typed in it. */
type GroupDialog = { mode: 'create' } | { mode: 'edit' | 'delete'; groupId: string };

const NO_POLICY = '';
const installationsText = (count: number) => `${count} installation${count === 1 ? '' : 's'}`;

/** A subscription with the products of it that take user groups. */
interface GroupSubscription {
  details: SubscriptionDetails;
  items: SubscriptionDetails['products'];
}

function GroupForm({
  accountId,
  subscription,
  group,
  policies,
  onDone,
  onCancel,
}: {
  accountId: string;
  subscription: GroupSubscription;
  group: UserGroup | null;
  policies: Policy[];
  onDone(message: string): void;
  onCancel(): void;
}) {
  const { details, items } = subscription;
  const form = useForm(
    { itemId: items[0]?.itemId ?? '', name: group?.name ?? '', quota: group ? String(group.sublicense.quota) : '1', policyId: group?.policy?.id ?? NO_POLICY },
    { itemId: rules.required, name: rules.required, quota: quotaRule },
    { draft: `user-group:${group?.id ?? `${details.subscription.id}:new`}` },
  );
  const item = group ? items.find((i) => i.productCode === group.product) : items.find((i) => i.itemId === form.values.itemId);
  const choices = policies.filter((p) => p.product === item?.productCode);
  const quotaHint = [
    item && seatsLeft(item, items.length > 1),
    group && `Its installations use ${group.sublicense.used}; a lower quota deactivates the least recently seen ones.`,
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <form
      noValidate
      onSubmit={form.submit(async ({ itemId, name, quota, policyId }) => {
        const fields = { name: name.trim(), quota: Number(quota), policyId: policyId === NO_POLICY ? null : policyId };
        if (group) {
          const { deactivatedInstallations: deactivated } = await saveUserGroup(accountId, group.id, fields);
          onDone(endSentence(`“${fields.name}” was saved${deactivated > 0 ? `; ${installationsText(deactivated)} over the new quota ${deactivated === 1 ? 'was' : 'were'} deactivated` : ''}`));
        } else {
          const created = await createUserGroup(accountId, { subscriptionId: details.subscription.id, ...(items.length > 1 ? { itemId } : {}), ...fields });
          onDone(endSentence(`“${created.name}” was created with its sublicense ${keyEnding(created.sublicense.key)}; give its users that key`));
        }
      })}
    >
      <FormError message={form.formError} />
      {!group && items.length > 1 && (
        <SelectField label="Product" field={form.field('itemId')}>
          {items.map((i) => (
            <option key={i.itemId} value={i.itemId}>
              {i.productName}
            </option>
          ))}
        </SelectField>
      )}
      <TextField label="Name" hint="Its sublicense has the same name: for example the team or office" autoComplete="off" field={form.field('name')} />
      <TextField label="Quota" type="number" inputMode="numeric" min={1} hint={quotaHint || undefined} field={form.field('quota')} />
      <SelectField label="Policy" hint="Its settings apply over the configuration profile of the group’s sublicense." field={form.field('policyId')}>
        <option value={NO_POLICY}>No policy</option>
        {choices.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </SelectField>
      {choices.length === 0 && (
        <p className="muted">
          There is no policy of this product yet: <Link href={`${policiesHref}/new`}>create one</Link> on the Policies page.
        </p>
      )}
      <DialogActions label={group ? 'Save changes' : 'Create user group'} disabled={form.submitting} onCancel={onCancel} />
    </form>
  );
}

function DeleteGroup({ group, accountId, onCancel, onDeleted }: { group: UserGroup; accountId: string; onCancel(): void; onDeleted(message: string): void }) {
  const { sublicense } = group;
  return (
    <ConfirmDialog
      title="Delete user group"
      action="Delete user group"
      onCancel={onCancel}
      onConfirm={async () => {
        await deleteUserGroup(accountId, group.id);
        onDeleted(endSentence(`The user group “${group.name}” was deleted; its sublicense stays`));
      }}
    >
      <p>
        Delete the user group <strong>{group.name}</strong>? Its sublicense {sublicense.name} ({keyEnding(sublicense.key)}) stays, with its {installationsText(sublicense.used)} and its seats.
        {group.policy ? ` Only the policy ${group.policy.name} no longer applies to them, from their next check-in.` : ''}
      </p>
    </ConfirmDialog>
  );
}

function GroupsTable({ groups, onOpen }: { groups: UserGroup[]; onOpen(dialog: GroupDialog): void }) {
  if (groups.length === 0) {
    return (
      <Empty>
        <h2>No user groups yet</h2>
        <p>Create a group for each team that should have its own seats and settings: each gets a sublicense of this subscription, the key its users activate with.</p>
      </Empty>
    );
  }
  return (
    <DataTable
      label="User groups"
      rows={groups}
      rowKey={(g) => g.id}
      columns={[
        { header: 'Name', cell: (g) => <strong>{g.name}</strong> },
        {
          header: 'Sublicense',
          cell: (g) => (
            <>
              <span className="mono">{keyEnding(g.sublicense.key)}</span> <CopyButton text={g.sublicense.key} label={`Copy the key of ${g.name}`} />
            </>
          ),
        },
        { header: 'Quota', className: 'num', cell: (g) => g.sublicense.quota },
        { header: 'Used', className: 'num', cell: (g) => g.sublicense.used },
        { header: 'Policy', cell: (g) => (g.policy ? <Link href={policyHref(g.policy.id)}>{g.policy.name}</Link> : <span className="muted">None</span>) },
      ]}
      actions={(g) => (
        <ActionsMenu
          rowName={g.name}
          actions={[
            { label: 'Edit', onSelect: () => onOpen({ mode: 'edit', groupId: g.id }) },
            { label: 'Virtual machines', href: `/virtual-machines?groupId=${encodeURIComponent(g.id)}` },
            { label: 'Delete', danger: true, onSelect: () => onOpen({ mode: 'delete', groupId: g.id }) },
          ]}
        />
      )}
    />
  );
}

/** The subscriptions with a product whose license includes user groups, each with those products. */
async function groupSubscriptions(accountId: string): Promise<GroupSubscription[]> {
  const [products, subscriptions] = await Promise.all([listPayloadTypes(accountId), listSubscriptionDetails(accountId)]);
  const codes = new Set(productsWith(products, USER_GROUPS_FEATURE).map((p) => p.product));
  return subscriptions.map((details) => ({ details, items: details.products.filter((p) => codes.has(p.productCode)) })).filter((s) => s.items.length > 0);
}

/** The User Groups page, one subscription at a time (the address names it, so a link opens on it). */
export function UserGroups({ subscriptionId }: { subscriptionId: string | null }) {
  const { account } = useSession();
  const [state, reload] = useLoad(async () => {
    const [subscriptions, policies] = await Promise.all([groupSubscriptions(account.id), listPolicies(account.id)]);
    const chosen = subscriptions.find((s) => s.details.subscription.id === subscriptionId) ?? subscriptions[0];
    return { subscriptions, policies, chosen, groups: chosen ? await listUserGroups(account.id, chosen.details.subscription.id) : [] };
  }, [account.id, subscriptionId]);
  const dialogKey = `user-groups:${subscriptionId ?? ''}:dialog`;
  const [dialog, setOpenDialog] = useKeptState<GroupDialog | null>(dialogKey, null);
  const forgetDialog = useDraftEnd(dialogKey);
  // A closed dialog is forgotten, so that coming back to the page opens none.
  const setDialog = (next: GroupDialog | null) => {
    setOpenDialog(next);
    if (next === null) forgetDialog();
  };
  const [notice, setNotice] = useState<string | null>(null);
  const finish = (message: string) => {
    setDialog(null);
    setNotice(message);
    reload();
  };

  return (
    <section>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link href="/">Dashboard</Link> › <span aria-current="page">User Groups</span>
      </nav>
      <div className="page-head">
        <h1>User Groups</h1>
        <p className="muted">
          Divide the users of an Enterprise subscription into groups: each group has its own sublicense, the license key its users activate with, taking its quota from the subscription’s
          seats, and may have a <Link href={policiesHref}>policy</Link> for its computers.
        </p>
      </div>
      <Load state={state} retry={reload} label="the user groups">
        {({ subscriptions, policies, chosen, groups }) => {
          if (!chosen) {
            return (
              <Empty>
                <p>None of the subscriptions of {account.name} includes user groups.</p>
              </Empty>
            );
          }
          const { details } = chosen;
          const s = details.subscription;
          const open = dialog && dialog.mode !== 'create' ? groups.find((g) => g.id === dialog.groupId) : null;
          return (
            <>
              <div className="toolbar">
                {subscriptions.length > 1 && (
                  <label>
                    Subscription
                    <select
                      value={s.id}
                      onChange={(e) => {
                        setNotice(null);
                        navigate(userGroupsHref(e.target.value));
                      }}
                    >
                      {subscriptions.map(({ details: d }) => (
                        <option key={d.subscription.id} value={d.subscription.id}>
                          {d.subscription.name}
                        </option>
                      ))}
                    </select>
                  </label>
                )}
                <button
                  type="button"
                  className="button primary push-right"
                  onClick={() => {
                    setNotice(null);
                    setDialog({ mode: 'create' });
                  }}
                >
                  Create User Group
                </button>
              </div>
              <p>
                {chosen.items.map((i) => seatsLeft(i, chosen.items.length > 1)).join(' ')} The groups’ sublicenses are among the{' '}
                <Link href={subscriptionHref(s, account.id)}>License Keys of {s.name}</Link>.
              </p>
              {notice && (
                <p className="notice" role="status">
                  {notice}
                </p>
              )}
              <GroupsTable groups={groups} onOpen={setDialog} />
              {(dialog?.mode === 'create' || (dialog?.mode === 'edit' && open)) && (
                <Dialog title={open ? `Edit ${open.name}` : 'Create user group'} onClose={() => setDialog(null)}>
                  <GroupForm accountId={account.id} subscription={chosen} group={open ?? null} policies={policies} onDone={finish} onCancel={() => setDialog(null)} />
                </Dialog>
              )}
              {dialog?.mode === 'delete' && open && <DeleteGroup group={open} accountId={account.id} onCancel={() => setDialog(null)} onDeleted={finish} />}
            </>
          );
        }}
      </Load>
    </section>
  );
}
