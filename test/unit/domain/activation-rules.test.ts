import { describe, expect, it } from 'vitest';
import { ACTIVATION_RULES, checkActivation, checkBinding, licensedEdition, refusal, type ActivationFacts } from '../../../src/domain/activation-rules.js';
import { demoCatalog } from '../../../src/domain/catalog.js';
import { AppError } from '../../../src/domain/errors.js';

const now = new Date('2026-03-01T12:00:00Z');
const days = (n: number) => new Date(now.getTime() + n * 86_400_000);

const items = [
  { id: 'desk', productCode: 'desktop-business', licenseType: null },
  { id: 'dm-mobile', productCode: 'device-management', licenseType: 'mobile' },
  { id: 'dm-desktop', productCode: 'device-management', licenseType: 'desktop' },
];

/** A primary key of a registered, running subscription asking for a product it holds: every rule passes. */
const good = (over: Partial<ActivationFacts> = {}): ActivationFacts => ({
  now,
  request: { product: 'desktop-business', licenseType: null },
  key: { kind: 'primary', itemId: null, expiresAt: null },
  subscription: { accountId: 'acct', status: 'active', expiresAt: days(100) },
  items,
  params: { expiryGraceDays: 0 },
  blacklisted: false,
  ...over,
});
const code = (over: Partial<ActivationFacts>) => {
  const verdict = checkActivation(good(over));
  return verdict.ok ? null : verdict.code;
};

describe('keys and the per-user SSO license type', () => {
  const catalog = (code: string) => demoCatalog.find((p) => p.code === code)!;
  const sso = (product: string) => ({ id: `${product}-sso`, productCode: product, licenseType: 'sso' });
  const untyped = (product: string) => ({ id: `${product}-keys`, productCode: product, licenseType: null });
  const keyOn = (product: string, subscriptionItems: ActivationFacts['items']) =>
    checkActivation(good({ request: { product, licenseType: null }, items: subscriptionItems, typeRules: catalog(product) }));

  it('tells a key on Business SSO seats to sign in instead', () => {
    expect(keyOn('desktop-business', [sso('desktop-business')])).toEqual({ ok: false, code: 'sign_in_required' });
  });

  it('lets keys take Enterprise SSO seats, and untyped seats first where a subscription mixes both', () => {
    expect(keyOn('desktop-enterprise', [sso('desktop-enterprise')])).toEqual({ ok: true, item: sso('desktop-enterprise') });
    expect(keyOn('desktop-enterprise', [sso('desktop-enterprise'), untyped('desktop-enterprise')])).toEqual({ ok: true, item: untyped('desktop-enterprise') });
  });

  it('keeps an installation that names the SSO type on its own item', () => {
    const verdict = checkActivation(good({ request: { product: 'desktop-enterprise', licenseType: 'sso' }, items: [untyped('desktop-enterprise'), sso('desktop-enterprise')], typeRules: catalog('desktop-enterprise') }));
    expect(verdict).toEqual({ ok: true, item: sso('desktop-enterprise') });
  });

  it('still needs the type where the product requires one', () => {
    const typed = [{ id: 'dm', productCode: 'device-management', licenseType: 'mobile' }];
    expect(checkActivation(good({ request: { product: 'device-management', licenseType: null }, items: typed, typeRules: catalog('device-management') }))).toEqual({ ok: false, code: 'license_type_mismatch' });
  });
});

describe('the activation rules', () => {
  it('lets a good activation through with the item it draws on', () => {
    expect(checkActivation(good())).toEqual({ ok: true, item: items[0] });
    expect(checkActivation(good({ request: { product: 'device-management', licenseType: 'desktop' } }))).toEqual({ ok: true, item: items[2] });
  });

  it('refuses a subscription no account has registered', () => {
    expect(code({ subscription: { accountId: null, status: 'active', expiresAt: days(100) } })).toBe('key_not_registered');
  });

  it('refuses a product the subscription does not hold, or one the catalog does not know', () => {
    expect(code({ request: { product: 'ras', licenseType: null } })).toBe('product_mismatch');
    expect(code({ params: undefined })).toBe('product_mismatch');
  });

  it("holds a sublicense to its own item's product", () => {
    const sublicense = { kind: 'dynamic' as const, itemId: 'dm-mobile', expiresAt: null };
    expect(code({ key: sublicense })).toBe('product_mismatch');
    expect(code({ key: sublicense, request: { product: 'device-management', licenseType: 'desktop' } })).toBe('license_type_mismatch');
    expect(checkActivation(good({ key: sublicense, request: { product: 'device-management', licenseType: 'mobile' } }))).toEqual({ ok: true, item: items[1] });
  });

  it('wants the license type of a product with types, and none for a product without', () => {
    expect(code({ request: { product: 'device-management', licenseType: null } })).toBe('license_type_mismatch');
    expect(code({ request: { product: 'device-management', licenseType: 'server' } })).toBe('license_type_mismatch');
    expect(code({ request: { product: 'desktop-business', licenseType: 'mobile' } })).toBe('license_type_mismatch');
  });

  it('refuses a suspended subscription', () => {
    expect(code({ subscription: { accountId: 'acct', status: 'suspended', expiresAt: days(100) } })).toBe('subscription_suspended');
  });

  it("refuses an expired subscription once the product's grace days are over", () => {
    const expired = (daysAgo: number, graceDays: number) =>
      code({ subscription: { accountId: 'acct', status: 'active', expiresAt: days(-daysAgo) }, params: { expiryGraceDays: graceDays } });
    expect(expired(0, 0)).toBe('subscription_expired');
    expect(expired(29, 30)).toBeNull();
    expect(expired(30, 30)).toBe('subscription_expired');
  });

  it('refuses a sublicense past its own date', () => {
    expect(code({ key: { kind: 'primary', itemId: null, expiresAt: days(-1) } })).toBe('key_expired');
    expect(code({ key: { kind: 'primary', itemId: null, expiresAt: days(1) } })).toBeNull();
  });

  it('refuses a blacklisted machine', () => {
    expect(code({ blacklisted: true })).toBe('installation_blacklisted');
  });

  it('answers the first rule that fails, in the order of PROTOCOL.md', () => {
    const everythingWrong: Partial<ActivationFacts> = {
      subscription: { accountId: null, status: 'suspended', expiresAt: days(-10) },
      request: { product: 'device-management', licenseType: 'server' },
      key: { kind: 'primary', itemId: null, expiresAt: days(-1) },
      blacklisted: true,
    };
    expect(ACTIVATION_RULES.map((rule) => rule(good(everythingWrong)))).toEqual([
      'key_not_registered',
      null,
      'license_type_mismatch',
      'subscription_suspended',
      'subscription_expired',
      'key_expired',
      'installation_blacklisted',
    ]);
    expect(code(everythingWrong)).toBe('key_not_registered');
    expect(code({ ...everythingWrong, subscription: { accountId: 'acct', status: 'suspended', expiresAt: days(-10) } })).toBe('license_type_mismatch');
  });
});

describe('the edition an activation is licensed as', () => {
  const enterprise = [{ id: 'ent', productCode: 'desktop-enterprise', licenseType: null }];
  const asked = (product: string, over: Partial<ActivationFacts> = {}) => good({ request: { product, licenseType: null }, ...over });

  it('is the product named while the key holds it, also beside its upgrade', () => {
    expect(licensedEdition(asked('desktop-business'), 'desktop-enterprise')).toBe('desktop-business');
    expect(licensedEdition(asked('desktop-business', { items: [...items, ...enterprise] }), 'desktop-enterprise')).toBe('desktop-business');
  });

  it('is the upgrade when the key holds that instead (a converted subscription)', () => {
    expect(licensedEdition(asked('desktop-business', { items: enterprise }), 'desktop-enterprise')).toBe('desktop-enterprise');
    const sublicense = { kind: 'dynamic' as const, itemId: 'ent', expiresAt: null };
    expect(licensedEdition(asked('desktop-business', { items: [...items, ...enterprise], key: sublicense }), 'desktop-enterprise')).toBe('desktop-enterprise');
  });

  it('stays the product named, to be refused as a mismatch, when the key holds neither or the product has no upgrade', () => {
    expect(licensedEdition(asked('desktop-business', { items: [items[1]!] }), 'desktop-enterprise')).toBe('desktop-business');
    expect(licensedEdition(asked('ras', { items: enterprise }), null)).toBe('ras');
    const otherKey = { kind: 'reserved' as const, itemId: 'desk', expiresAt: null };
    expect(licensedEdition(asked('desktop-business', { items: [...items, ...enterprise], key: otherKey }), 'desktop-enterprise')).toBe('desktop-business');
  });
});

describe('a key bound to one installation', () => {
  const binding = { otherActive: false, otherBefore: false, movesUsed: 0, maxMoves: 3 };

  it('takes its first machine without counting a move', () => {
    expect(checkBinding(binding)).toEqual({ ok: true, move: false });
  });

  it('refuses a second machine while the first is active', () => {
    expect(checkBinding({ ...binding, otherActive: true, otherBefore: true })).toEqual({ ok: false, code: 'key_bound_to_other_installation' });
  });

  it('counts a new machine after a deactivated one as a move, up to the limit', () => {
    expect(checkBinding({ ...binding, otherBefore: true, movesUsed: 2 })).toEqual({ ok: true, move: true });
    expect(checkBinding({ ...binding, otherBefore: true, movesUsed: 3 })).toEqual({ ok: false, code: 'move_limit_reached' });
    expect(checkBinding({ ...binding, otherBefore: true, movesUsed: 300, maxMoves: null })).toEqual({ ok: true, move: true });
  });
});

describe('refusals', () => {
  it('answer with their code, a message a person can act on, and what they name', () => {
    const refused = refusal('quota_exhausted', { limit: 'key' });
    expect(refused).toBeInstanceOf(AppError);
    expect([refused.code, refused.message, refused.details]).toEqual(['quota_exhausted', 'All seats of this license key are in use', { limit: 'key' }]);
    expect(refusal('key_not_registered').message).toBe('This license key is not registered yet: register it in the customer portal first');
  });
});
