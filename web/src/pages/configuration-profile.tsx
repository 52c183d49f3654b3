import { PayloadSetFacts, PayloadSetForm } from '../payload-sets';
import { createProfile, getProfile, listPayloadTypes, profilesHref, saveProfile, type ConfigurationProfile, type ProductPayloadTypes } from '../profile-data';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { Empty, Load, useLoad } from '../ui';

// One configuration profile, new or saved: its name, its product, and its payloads in the payload pane.

function ProfileForm({ products, profile, onSaved }: { products: ProductPayloadTypes[]; profile: ConfigurationProfile | null; onSaved(profile: ConfigurationProfile): void }) {
  const { account } = useSession();
  return (
    <PayloadSetForm
      products={products}
      saved={profile}
      draft={`configuration-profile:${profile?.id ?? 'new'}`}
      noun="Profile"
      nameHint="For example the team or the kind of computer it is for"
      label={profile ? 'Save profile' : 'Create profile'}
      note="Saved. Installations receive the change at their next check-in."
      onSave={async ({ name, product, payloads }) => onSaved(profile ? await saveProfile(account.id, profile.id, { name, payloads }) : await createProfile(account.id, { name, product, payloads }))}
    />
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
              <PayloadSetFacts
                productName={product?.productName ?? profile.product}
                version={profile.version}
                updatedAt={profile.updatedAt}
                assignedTo={{ label: 'License keys', value: profile.keys.length === 0 ? 'None yet' : profile.keys.map((k) => k.name).join(', ') }}
              />
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
