import { useState } from 'react';
import { ActionsMenu } from '../actions-menu';
import { DataTable } from '../data-table';
import { formatDate } from '../format';
import { deletePolicy, listPolicies, policiesHref, policyHref, POLICIES_FEATURE, productsWith, userGroupsHref, type Policy } from '../management-data';
import { PayloadSetsHead, PayloadsCell } from '../payload-sets';
import { listPayloadTypes } from '../profile-data';
import { Link } from '../router';
import { useSession } from '../session';
import { ConfirmDialog, Empty, Load, useLoad } from '../ui';
import { endSentence } from '../../../src/domain/sentence';

// The account's policies (capability 10, Enterprise): the list, and deleting one.

const groupsText = (count: number) => `${count} user group${count === 1 ? '' : 's'}`;

/** The groups a policy is assigned to, each leading to its subscription's groups. */
export function GroupsCell({ policy }: { policy: Policy }) {
  if (policy.groups.length === 0) return <span className="muted">None</span>;
  return (
    <ul className="plain-list">
      {policy.groups.map((g) => (
        <li key={g.id}>
          <Link href={userGroupsHref(g.subscriptionId)}>{g.name}</Link>
        </li>
      ))}
    </ul>
  );
}

function DeletePolicy({ policy, accountId, onCancel, onDeleted }: { policy: Policy; accountId: string; onCancel(): void; onDeleted(message: string): void }) {
  const count = policy.groups.length;
  return (
    <ConfirmDialog
      title="Delete policy"
      action="Delete policy"
      onCancel={onCancel}
      onConfirm={async () => {
        await deletePolicy(accountId, policy.id);
        onDeleted(endSentence(`“${policy.name}” was deleted${count > 0 ? ` and cleared from its ${groupsText(count)}` : ''}`));
      }}
    >
      {count === 0 ? (
        <p>
          Delete <strong>{policy.name}</strong>? No user group has it.
        </p>
      ) : (
        <p>
          Delete <strong>{policy.name}</strong>? It is cleared from its {groupsText(count)} ({policy.groups.map((g) => g.name).join(', ')}): they keep their sublicenses, and their installations run
          with their license key’s configuration profile alone from their next check-in.
        </p>
      )}
    </ConfirmDialog>
  );
}

/** The Policies page: each policy with what it delivers and the user groups it is assigned to. */
export function Policies({ created }: { created: string | null }) {
  const { account } = useSession();
  const [state, reload] = useLoad(async () => {
    const [products, policies] = await Promise.all([listPayloadTypes(account.id), listPolicies(account.id)]);
    return { products: productsWith(products, POLICIES_FEATURE), policies };
  }, [account.id]);
  const [deleting, setDeleting] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <section>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link href="/">Dashboard</Link> › <span aria-current="page">Policies</span>
      </nav>
      <Load state={state} retry={reload} label="the policies">
        {({ products, policies }) => {
          const productName = (code: string) => products.find((p) => p.product === code)?.productName ?? code;
          const createdPolicy = policies.find((p) => p.id === created);
          const deletingPolicy = policies.find((p) => p.id === deleting);
          return (
            <>
              <PayloadSetsHead
                title="Policies"
                create={products.length > 0 ? { href: `${policiesHref}/new`, label: 'Create Policy' } : null}
                notice={notice ?? (createdPolicy ? `“${createdPolicy.name}” was created. To give it to a user group, open User Groups and edit the group.` : null)}
              >
                Settings for the computers of a user group, over their license key’s configuration profile: where both set a value, the policy’s applies. Give a policy to a group on the{' '}
                <Link href={userGroupsHref()}>User Groups</Link> page.
              </PayloadSetsHead>
              {products.length === 0 ? (
                <Empty>
                  <p>None of the products of {account.name}’s subscriptions includes policies.</p>
                </Empty>
              ) : policies.length === 0 ? (
                <Empty>
                  <h2>No policies yet</h2>
                  <p>A policy holds the same payloads as a configuration profile, for the user groups it is given to.</p>
                </Empty>
              ) : (
                <DataTable
                  label="Policies"
                  rows={policies}
                  rowKey={(p) => p.id}
                  columns={[
                    { header: 'Name', cell: (p) => <Link href={policyHref(p.id)}>{p.name}</Link> },
                    { header: 'Product', cell: (p) => productName(p.product) },
                    { header: 'Version', className: 'num', cell: (p) => p.version },
                    { header: 'Payloads', cell: (p) => <PayloadsCell set={p} products={products} /> },
                    { header: 'User groups', cell: (p) => <GroupsCell policy={p} /> },
                    { header: 'Last changed', cell: (p) => formatDate(p.updatedAt) },
                  ]}
                  actions={(p) => (
                    <ActionsMenu
                      rowName={p.name}
                      actions={[
                        { label: 'Edit', href: policyHref(p.id) },
                        {
                          label: 'Delete',
                          danger: true,
                          onSelect: () => {
                            setNotice(null);
                            setDeleting(p.id);
                          },
                        },
                      ]}
                    />
                  )}
                />
              )}
              {deletingPolicy && (
                <DeletePolicy
                  policy={deletingPolicy}
                  accountId={account.id}
                  onCancel={() => setDeleting(null)}
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
