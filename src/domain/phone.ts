/**
 * What a business address's phone number may look like: digits with the usual separators and an
 * optional leading +, 5 to 30 characters, at least one of them a digit. The API and the portal's
 * forms check the same pattern.
 */
export const PHONE_PATTERN = /^(?=.*\d)\+?[0-9 ()./-]{5,30}$/;
