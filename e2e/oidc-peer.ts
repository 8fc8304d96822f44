import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import net from 'node:net';
import Provider from 'oidc-provider';

/** The claims the local provider answers for whoever signs in there next. */
export interface OidcPeerAccount {
  sub: string;
  email: string;
  email_verified: boolean;
  name?: string;
}

export interface OidcPeer {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Who signs in at the provider from now on (no login form: the interaction is finished at once). */
  signInAs(account: OidcPeerAccount): void;
  /** How many sign-ins the provider finished (a browser that never went there leaves it at 0). */
  readonly finishedInteractions: number;
  close(): Promise<void>;
}

/**
 * A real OpenID Connect provider (the `oidc-provider` package) on 127.0.0.1, port 0, configured as
 * the server tests' one is (apps/server/src/test/oidc-provider.ts, which the e2e files may not
 * import: nothing outside apps/server reaches into it). One client with one redirect URI, PKCE,
 * the email claims, and an interaction finished at once for the account given to signInAs.
 */
export async function startOidcPeer(options: { redirectUri: string }): Promise<OidcPeer> {
  const clientId = 'mission-control-e2e';
  const clientSecret = 'an-e2e-client-secret-that-is-long-enough';
  let account: OidcPeerAccount = { sub: 'owner-at-idp', email: 'owner@example.com', email_verified: true };
  let finishedInteractions = 0;
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
        finishedInteractions += 1;
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
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    findAccount: async (_context, sub) => ({ accountId: sub, claims: async () => ({ ...account, sub }) }),
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_context, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['e2e-oidc-peer-cookie-key'] },
    // Set, so the package does not print a notice per default lifetime it falls back to.
    ttl: { AccessToken: 600, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
  });

  return {
    issuer,
    clientId,
    clientSecret,
    signInAs(next) {
      account = next;
    },
    get finishedInteractions() {
      return finishedInteractions;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface FrontDoor {
  /** http://127.0.0.1:<port>, known before the server behind it starts: its MISSION_PUBLIC_URL. */
  url: string;
  /** Where connections go from now on (the server's own port 0 address); refused until set. */
  forwardTo(url: string): void;
  close(): Promise<void>;
}

/**
 * A TCP forwarder on port 0, as a reverse proxy in front of a deployment. The server builds its
 * OIDC callback from MISSION_PUBLIC_URL (or its configured port, 0 in the harness), and the
 * provider must know that callback before the server starts: this door's address is both.
 */
export async function startFrontDoor(): Promise<FrontDoor> {
  let target: { host: string; port: number } | undefined;
  const sockets = new Set<Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    if (!target) {
      socket.destroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    forwardTo(url) {
      const parsed = new URL(url);
      target = { host: parsed.hostname, port: Number(parsed.port) };
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
