/**
 * The built-in configuration profile's name: a key with no profile of its own uses it. Kept apart
 * from the profile rules (configuration-profile.ts) so the portal can name it without them.
 */
export const DEFAULT_PROFILE_NAME = 'Default';

/** The catalog feature of the products that take configuration profiles: the portal shows their pages for it. */
export const CONFIGURATION_PROFILES_FEATURE = 'configuration_profiles';
