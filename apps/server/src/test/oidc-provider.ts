import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** The claims the local provider answers for the person who "signs in" there next. */
export interface LocalOidcAccount {
  sub: string;
  email: string;
  email_verified: boolean;
  name?: string;
  /** Shared under the `groups` scope, as Okta does. */
  groups?: string[];
}

export interface LocalOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Who signs in at the provider from now on (no login form: the interaction is finished at once). */
  signInAs(account: LocalOidcAccount): void;
  /**
   * Plays the browser: follows redirects from `url` (the provider's authorisation URL) with a
   * cookie jar until the provider sends it to `redirectUri`, and answers that URL.
   */
  followToRedirect(url: string, redirectUri: string): Promise<URL>;
  close(): Promise<void>;
}

/** A real OpenID Connect provider (the `oidc-provider` package) on 127.0.0.1, port 0. */
export async function startLocalOidcProvider(options: { redirectUri: string; idTokenTtlSeconds?: number }): Promise<LocalOidcProvider> {
  const clientId = 'mission-control-test';
  const clientSecret = 'a-test-client-secret-that-is-long-enough';
  let account: LocalOidcAccount = { sub: 'person-1', email: 'owner@example.com', email_verified: true };
  let provider: Provider | undefined;
  const server: Server = createServer((request, response) => {
    if (!provider) {
      response.statusCode = 503;
      response.end();
      return;
    }
    const current = provider;
    if (request.url?.startsWith('/interaction/')) {
      // No login form: the person named by signInAs signs in, and consents, at once.
      void (async () => {
        const details = await current.interactionDetails(request, response);
        const grant = new current.Grant({ accountId: account.sub, clientId });
        grant.addOIDCScope(String(details.params.scope ?? 'openid'));
        const grantId = await grant.save();
        await current.interactionFinished(request, response, { login: { accountId: account.sub }, consent: { grantId } });
      })().catch((error: unknown) => {
        response.statusCode = 500;
        response.end(String(error));
      });
      return;
    }
    current.callback()(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    findAccount: async (_context, sub) => ({
      accountId: sub,
      claims: async () => ({ ...account, sub }),
    }),
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_context, interaction) => `/interaction/${interaction.uid}` },
    ttl: { IdToken: options.idTokenTtlSeconds ?? 3_600 },
    cookies: { keys: ['local-oidc-provider-cookie-key'] },
  });

  return {
    issuer,
    clientId,
    clientSecret,
    signInAs(next) {
      account = next;
    },
    async followToRedirect(url, redirectUri) {
      const cookies = new Map<string, string>();
      let next = url;
      for (let hop = 0; hop < 12; hop += 1) {
        if (next.startsWith(redirectUri)) return new URL(next);
        const answer = await fetch(next, {
          redirect: 'manual',
          headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
        });
        for (const cookie of answer.headers.getSetCookie()) {
          const [pair = ''] = cookie.split(';');
          const equals = pair.indexOf('=');
          cookies.set(pair.slice(0, equals), pair.slice(equals + 1));
        }
        const location = answer.headers.get('location');
        if (!location) throw new Error(`the provider did not redirect from ${next}: ${answer.status} ${await answer.text()}`);
        next = new URL(location, next).href;
      }
      throw new Error('too many redirects at the provider');
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
