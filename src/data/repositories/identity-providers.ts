import { isUniqueViolation } from '../failures.js';
import type { Executor } from '../executor.js';
import type { IdentityProvider } from '../schema.js';

export type IdentityProviderRecord = IdentityProvider & { allowed_domains: string[] };

const withDomains = (db: Executor) =>
  db
    .selectFrom('identity_providers as p')
    .selectAll('p')
    .select((eb) =>
      eb.fn
        .coalesce(
          eb.selectFrom('identity_provider_domains as d').select((d) => d.fn.agg<string[]>('array_agg', ['d.domain']).as('domains')).whereRef('d.account_id', '=', 'p.account_id'),
          eb.val<string[]>([]),
        )
        .as('allowed_domains'),
    );

export async function findIdentityProvider(db: Executor, accountId: string): Promise<IdentityProviderRecord | undefined> {
  const row = await withDomains(db).where('p.account_id', '=', accountId).executeTakeFirst();
  return row && { ...row, allowed_domains: [...row.allowed_domains].sort() };
}

/** The account an allowed email domain belongs to, with its provider. */
export async function findIdentityProviderByDomain(db: Executor, domain: string): Promise<IdentityProviderRecord | undefined> {
  const owner = await db.selectFrom('identity_provider_domains').select('account_id').where('domain', '=', domain).executeTakeFirst();
  return owner && findIdentityProvider(db, owner.account_id);
}

export interface ProviderSettings {
  issuer: string;
  clientId: string;
  clientSecretSealed: string;
  groupsClaim: string | null;
  inactivityDays: number | null;
}

/**
 * Writes the provider's settings; a change to how it connects (issuer, client, secret, domains)
 * is a new version, which needs a new test sign-in and leaves single sign-on off until then.
 */
export async function saveIdentityProvider(db: Executor, accountId: string, s: ProviderSettings, connectionChanged: boolean, by: string, now: Date): Promise<void> {
  const values = {
    issuer: s.issuer,
    client_id: s.clientId,
    client_secret_sealed: s.clientSecretSealed,
    groups_claim: s.groupsClaim,
    inactivity_days: s.inactivityDays,
    updated_by: by,
    updated_at: now,
  };
  await db
    .insertInto('identity_providers')
    .values({ account_id: accountId, ...values, created_at: now })
    .onConflict((oc) =>
      oc.column('account_id').doUpdateSet((eb) => ({
        ...values,
        ...(connectionChanged ? { version: eb(eb.ref('identity_providers.version'), '+', 1), enabled: false } : {}),
      })),
    )
    .execute();
}

/** Replaces the account's domains; a domain another account holds fails on the primary key (isDomainTaken). */
export async function replaceProviderDomains(db: Executor, accountId: string, domains: readonly string[]): Promise<void> {
  await db.deleteFrom('identity_provider_domains').where('account_id', '=', accountId).execute();
  if (domains.length > 0) await db.insertInto('identity_provider_domains').values(domains.map((domain) => ({ domain, account_id: accountId }))).execute();
}

export function isDomainTaken(err: unknown): boolean {
  return isUniqueViolation(err, 'identity_provider_domains_pkey');
}

/** The domains of `domains` that other accounts hold. */
export async function domainsHeldElsewhere(db: Executor, accountId: string, domains: readonly string[]): Promise<string[]> {
  if (domains.length === 0) return [];
  const rows = await db.selectFrom('identity_provider_domains').select('domain').where('domain', 'in', [...domains]).where('account_id', '<>', accountId).execute();
  return rows.map((r) => r.domain);
}

export async function recordTestSignIn(db: Executor, accountId: string, version: number, claims: Record<string, unknown>, now: Date): Promise<void> {
  await db
    .updateTable('identity_providers')
    .set({ tested_version: version, tested_at: now, tested_claims: JSON.stringify(claims) })
    .where('account_id', '=', accountId)
    .where('version', '=', version)
    .execute();
}

/** Switches single sign-on on or off; on only when the current version passed its test. Returns whether it changed. */
export async function setProviderEnabled(db: Executor, accountId: string, enabled: boolean, now: Date): Promise<boolean> {
  const row = await db
    .updateTable('identity_providers')
    .set({ enabled, updated_at: now })
    .where('account_id', '=', accountId)
    .$if(enabled, (q) => q.whereRef('tested_version', '=', 'version'))
    .returning('account_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function deleteIdentityProvider(db: Executor, accountId: string): Promise<boolean> {
  const row = await db.deleteFrom('identity_providers').where('account_id', '=', accountId).returning('account_id').executeTakeFirst();
  return row !== undefined;
}
