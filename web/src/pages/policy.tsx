import { createPolicy, getPolicy, policiesHref, POLICIES_FEATURE, productsWith, savePolicy, type Policy } from '../management-data';
import { PayloadSetFacts, PayloadSetForm } from '../payload-sets';
import { listPayloadTypes, type ProductPayloadTypes } from '../profile-data';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { Empty, Load, useLoad } from '../ui';
import { GroupsCell } from './policies';

// One policy, new or saved: its name, its product, and its payloads in the same payload pane as a profile's.

function PolicyForm({ products, policy, onSaved }: { products: ProductPayloadTypes[]; policy: Policy | null; onSaved(policy: Policy): void }) {
  const { account } = useSession();
  return (
    <PayloadSetForm
      products={products}
      saved={policy}
      draft={`policy:${policy?.id ?? 'new'}`}
      noun="Policy"
      nameHint="For example the user group or the rule it is for"
      label={policy ? 'Save policy' : 'Create policy'}
      note="Saved. The installations of its user groups receive the change at their next check-in."
      onSave={async ({ name, product, payloads }) => onSaved(policy ? await savePolicy(account.id, policy.id, { name, payloads }) : await createPolicy(account.id, { name, product, payloads }))}
    />
  );
}

const Breadcrumb = ({ current }: { current: string }) => (
  <nav aria-label="Breadcrumb" className="breadcrumb">
    <Link href="/">Dashboard</Link> › <Link href={policiesHref}>Policies</Link> › <span aria-current="page">{current}</span>
  </nav>
);

const policyProducts = async (accountId: string) => productsWith(await listPayloadTypes(accountId), POLICIES_FEATURE);

export function NewPolicy() {
  const { account } = useSession();
  const [products, reload] = useLoad(() => policyProducts(account.id), [account.id]);
  return (
    <section>
      <Breadcrumb current="New policy" />
      <div className="page-head">
        <h1>New policy</h1>
        <p className="muted">Choose the payloads it delivers and enable each one; what it leaves unset comes from each computer’s configuration profile.</p>
      </div>
      <Load state={products} retry={reload} label="the payload types">
        {(items) =>
          items.length === 0 ? (
            <Empty>
              <p>None of the products of {account.name}’s subscriptions includes policies.</p>
            </Empty>
          ) : (
            <PolicyForm products={items} policy={null} onSaved={(saved) => navigate(`${policiesHref}?created=${encodeURIComponent(saved.id)}`)} />
          )
        }
      </Load>
    </section>
  );
}

export function EditPolicy({ policyId }: { policyId: string }) {
  const { account } = useSession();
  const [state, reload, change] = useLoad(async () => {
    const [products, policy] = await Promise.all([policyProducts(account.id), getPolicy(account.id, policyId)]);
    return { products, policy };
  }, [account.id, policyId]);
  return (
    <section>
      <Load state={state} retry={reload} label="the policy">
        {({ products, policy }) => {
          const product = products.find((p) => p.product === policy.product);
          return (
            <>
              <Breadcrumb current={policy.name} />
              <div className="page-head">
                <h1>{policy.name}</h1>
              </div>
              <PayloadSetFacts
                productName={product?.productName ?? policy.product}
                version={policy.version}
                updatedAt={policy.updatedAt}
                assignedTo={{ label: 'User groups', value: <GroupsCell policy={policy} /> }}
              />
              {product ? (
                <PolicyForm products={[product]} policy={policy} onSaved={(saved) => change((d) => ({ ...d, policy: saved }))} />
              ) : (
                <p className="state state-error">The product of this policy is no longer among the subscriptions of {account.name}, so its payloads cannot be edited here.</p>
              )}
            </>
          );
        }}
      </Load>
    </section>
  );
}
