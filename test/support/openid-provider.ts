import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** A person the test provider knows: their login, and the claims their ID token carries. */
export interface DirectoryPerson {
  login: string;
  email: string;
  name?: string;
  groups?: string[];
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Adds or changes a person the provider signs in. */
  person(p: DirectoryPerson): void;
  /**
   * Follows an authorization URL through the provider's real sign-in and consent screens as a
   * browser would (cookies, forms, redirects) and returns where the provider sends the person
   * back: the relying party's redirect URI with the code and state.
   */
  signIn(authorizationUrl: string, login: string): Promise<URL>;
  close(): Promise<void>;
}

const formAction = (html: string) => {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no form on the provider's page: ${html.slice(0, 300)}`);
  return action.replaceAll('&amp;', '&');
};

/**
 * A real OpenID Connect provider (oidc-provider) on 127.0.0.1 with one confidential client, as a
 * company's Entra ID or Okta would be: discovery, the authorization endpoint with its login and
 * consent screens (the library's development screens, which accept any password), the token
 * endpoint, and ID tokens signed with its own keys carrying email, name and groups.
 */
export async function startOpenIdProvider(redirectUri: string): Promise<TestProvider> {
  const people = new Map<string, DirectoryPerson>();
  const clientId = 'keyline-test';
  const clientSecret = 'a-client-secret-long-enough-for-hs256-signing-0123456789';
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri], grant_types: ['authorization_code'], response_types: ['code'] }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    findAccount: (_ctx, id) => {
      const person = people.get(id);
      if (!person) return undefined;
      return {
        accountId: id,
        claims: () => ({ sub: `subject-${id}`, email: person.email, email_verified: true, name: person.name ?? id, ...(person.groups ? { groups: person.groups } : {}) }),
      };
    },
  });
  // The development screens need no TLS here; the provider warns about them, which is expected.
  provider.proxy = false;
  server.on('request', provider.callback());

  async function signIn(authorizationUrl: string, login: string): Promise<URL> {
    const jar = new Map<string, string>();
    const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const keep = (res: Response) => {
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const eq = pair!.indexOf('=');
        jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
      }
    };
    let url = new URL(authorizationUrl);
    let body: URLSearchParams | undefined;
    for (let step = 0; step < 20; step++) {
      if (!url.href.startsWith(issuer)) return url;
      const res = await fetch(url, { method: body ? 'POST' : 'GET', body, headers: { cookie: cookieHeader() }, redirect: 'manual' });
      keep(res);
      body = undefined;
      const location = res.headers.get('location');
      if (location) {
        url = new URL(location, url);
        continue;
      }
      const html = await res.text();
      if (res.status >= 400) throw new Error(`the provider answered ${res.status}: ${html.slice(0, 500)}`);
      const action = new URL(formAction(html), url);
      body = html.includes('name="login"') ? new URLSearchParams({ prompt: 'login', login, password: 'any password' }) : new URLSearchParams({ prompt: 'consent' });
      url = action;
    }
    throw new Error('the sign-in did not come back to the relying party');
  }

  return {
    issuer,
    clientId,
    clientSecret,
    person: (p) => people.set(p.login, p),
    signIn,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
