import * as oidc from 'openid-client';
import type { Config } from '../../config.js';
import { AppError } from '../../domain/errors.js';
import { guardedFetch } from '../outbound/guarded-fetch.js';
import { ForbiddenDestination } from '../webhooks/destination.js';

/**
 * The server as an OpenID Connect relying party (openid-client): it discovers a provider from its
 * issuer, sends the person there with PKCE, a state and a nonce, and checks the ID token that comes
 * back (signature, issuer, audience, expiry, nonce). Every call goes through guardedFetch, so an
 * issuer an administrator typed cannot make the server reach inside its own network unless the
 * operator allows it.
 */

export interface ProviderConnection {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** What a sign-in needs to remember between sending the person away and their coming back. */
export interface SignInChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export const SCOPES = 'openid email profile';

function unreachable(issuer: string, err: unknown): AppError {
  const reason = err instanceof Error ? err.message : String(err);
  return new AppError('sso_provider_unreachable', `The identity provider at ${issuer} could not be reached: ${reason}`, { field: 'issuer' });
}

/** Discovers the provider from `<issuer>/.well-known/openid-configuration`; a provider that is not OpenID Connect, or names another issuer, is refused. */
export async function discoverProvider(config: Pick<Config, 'sso'>, p: ProviderConnection): Promise<oidc.Configuration> {
  let url: URL;
  try {
    url = new URL(p.issuer);
  } catch {
    throw new AppError('sso_provider_invalid', 'The issuer must be a URL such as https://login.example.com', { field: 'issuer' });
  }
  try {
    return await oidc.discovery(url, p.clientId, undefined, oidc.ClientSecretBasic(p.clientSecret), {
      [oidc.customFetch]: guardedFetch(config.sso, config.sso.timeoutMs),
      timeout: Math.ceil(config.sso.timeoutMs / 1000),
      ...(config.sso.allowHttp ? { execute: [oidc.allowInsecureRequests] } : {}),
    });
  } catch (err) {
    throw discoveryFailure(p.issuer, err);
  }
}

/**
 * Why discovery failed, in the administrator's terms: an address the operator does not let the
 * server reach, a provider that could not be reached, or an answer that is not OpenID Connect's.
 */
function discoveryFailure(issuer: string, err: unknown): AppError {
  const cause = err instanceof Error ? err.cause : undefined;
  if (cause instanceof ForbiddenDestination || err instanceof ForbiddenDestination) {
    return new AppError(
      'sso_provider_invalid',
      `${issuer} is not allowed: identity providers must be on https:// at a public internet address unless the operator allows others (KEYLINE_SSO_ALLOW_HTTP, KEYLINE_SSO_ALLOW_PRIVATE)`,
      { field: 'issuer' },
    );
  }
  if (err instanceof oidc.ClientError && cause instanceof Error) return unreachable(issuer, cause);
  if (err instanceof oidc.ResponseBodyError || err instanceof oidc.ClientError) {
    return new AppError('sso_provider_invalid', `${issuer} does not answer as an OpenID Connect provider: ${err.message}`, { field: 'issuer' });
  }
  return unreachable(issuer, err);
}

/** Where to send the person, and what to check when they come back. */
export async function authorizationRequest(provider: oidc.Configuration, redirectUri: string): Promise<{ url: string; checks: SignInChecks }> {
  const checks = { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier() };
  const url = oidc.buildAuthorizationUrl(provider, {
    redirect_uri: redirectUri,
    scope: SCOPES,
    response_type: 'code',
    state: checks.state,
    nonce: checks.nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
    code_challenge_method: 'S256',
    prompt: 'login',
  });
  return { url: url.href, checks };
}

/**
 * The ID token's claims once the provider sent the person back to `callbackUrl`; a provider's
 * refusal (the person cancelled, an invalid client) or a token that does not check out is
 * `sso_sign_in_failed`, with the provider's words where it gave some.
 */
export async function completeSignIn(provider: oidc.Configuration, callbackUrl: URL, checks: SignInChecks): Promise<Record<string, unknown>> {
  try {
    const tokens = await oidc.authorizationCodeGrant(provider, callbackUrl, {
      pkceCodeVerifier: checks.codeVerifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      idTokenExpected: true,
    });
    return { ...(tokens.claims() ?? {}) };
  } catch (err) {
    if (err instanceof oidc.AuthorizationResponseError || err instanceof oidc.ResponseBodyError) {
      const words = err.error_description ? `${err.error}: ${err.error_description}` : err.error;
      throw new AppError('sso_sign_in_failed', `The identity provider did not sign you in (${words})`);
    }
    if (err instanceof oidc.ClientError) throw new AppError('sso_sign_in_failed', `The identity provider's answer did not check out: ${err.message}`);
    throw unreachable(provider.serverMetadata().issuer, err);
  }
}
