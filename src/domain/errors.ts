/**
 * The closed catalogue of error codes. Every error the API returns carries one of these codes;
 * the status map is exhaustive so a new code cannot ship without its HTTP status.
 */
export const errorStatus = {
  validation_failed: 400,
  csv_invalid: 400,
  export_too_large: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  token_invalid: 401,
  csrf_failed: 403,
  forbidden: 403,
  membership_blocked: 403,
  email_not_verified: 403,
  invitation_email_mismatch: 403,
  operator_only: 403,
  not_found: 404,
  email_taken: 409,
  already_member: 409,
  last_admin: 409,
  personal_account: 409,
  cannot_target_self: 409,
  invitation_not_pending: 409,
  invitation_invalid: 410,
  invitation_expired: 410,
  user_token_invalid: 410,
  account_locked: 423,
  rate_limited: 429,
  // Licensing: the codes PROTOCOL.md fixes for installations, and key registration.
  key_malformed: 400,
  key_checksum_mismatch: 400,
  key_not_found: 404,
  code_not_found: 404,
  code_expired: 410,
  code_used: 410,
  product_mismatch: 422,
  license_type_mismatch: 422,
  sign_in_required: 422,
  // Activation with a corporate account (single sign-on).
  sso_account_unknown: 404,
  sso_not_enabled: 422,
  sso_domain_not_allowed: 403,
  sso_no_subscription: 422,
  sso_no_seat: 422,
  sso_machine_limit: 422,
  sso_authorization_pending: 428,
  sso_slow_down: 429,
  sso_grant_expired: 410,
  sso_access_denied: 403,
  sso_grant_used: 409,
  sso_sign_in_failed: 400,
  sso_provider_unreachable: 502,
  sso_provider_invalid: 422,
  sso_domain_taken: 409,
  sso_untested: 409,
  sublicenses_not_offered: 409,
  subscription_expired: 403,
  subscription_suspended: 403,
  key_expired: 403,
  key_not_registered: 403,
  installation_blacklisted: 403,
  installation_deactivated: 403,
  offline_not_enabled: 403,
  quota_exhausted: 409,
  key_bound_to_other_installation: 409,
  move_limit_reached: 409,
  key_already_registered: 409,
  quota_exceeds_pool: 409,
  trial_used: 409,
  // Installations in the portal.
  already_on_key: 409,
  // Configuration profiles.
  profile_name_taken: 409,
  profile_in_use: 409,
  profile_product_mismatch: 409,
  // Enterprise management: policies and user groups.
  feature_not_included: 403,
  policy_name_taken: 409,
  policy_product_mismatch: 409,
  group_name_taken: 409,
  key_in_group: 409,
  // Webhooks: where an endpoint may point (no server-side request forgery), and how many.
  webhook_https_required: 422,
  webhook_address_forbidden: 422,
  webhook_host_unresolvable: 422,
  webhook_endpoint_limit: 409,
  webhook_endpoint_disabled: 409,
  // Vendor back office.
  product_in_use: 409,
  // Editions: a trial of the upgrade beside a subscription, its conversion, a trial made permanent.
  edition_not_convertible: 409,
  already_converted: 409,
  edition_trial_used: 409,
  not_a_trial: 409,
  file_malformed: 400,
  file_signature_invalid: 400,
  file_expired: 410,
  file_replayed: 409,
  file_wrong_installation: 409,
  file_wrong_account: 409,
  internal_error: 500,
  not_ready: 503,
  // The database is away for a moment (restarting, unreachable) or kept colliding: try again soon.
  database_unavailable: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} was not found`);

/** One thing wrong with a request's input: where (dotted, `querystring.` or `params.` before what is not in the body) and what. */
export interface InputIssue {
  path: string;
  message: string;
}

/** The refusal of a request's input, the same whether its schema or a rule of the service found the fault. */
export function invalidInput(issues: InputIssue[]): AppError {
  const first = issues[0];
  const summary = first ? `${first.path || 'input'}: ${first.message}` : 'the request is invalid';
  return new AppError('validation_failed', `Invalid request: ${summary}`, { issues });
}
