/** The portal's page that registers a license key into an account. */
export const REGISTER_KEY_PAGE = '/register-key';

/** The name of the address's parameter that brings the key to that page, filled in. */
export const REGISTER_KEY_PARAM = 'key';

/** The address an email links to: the page with the key filled in, so that nobody copies it by hand. */
export const registerKeyPath = (key: string) => `${REGISTER_KEY_PAGE}?${REGISTER_KEY_PARAM}=${encodeURIComponent(key)}`;

/** The portal's page of one subscription of an account. */
export const subscriptionPath = (accountId: string, subscriptionId: string) => `/accounts/${accountId}/subscriptions/${subscriptionId}`;
