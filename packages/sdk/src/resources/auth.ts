import { type ApiKey, type CreatedApiKey, endpoints, type LoginRequest, type Me, type SessionTokens } from '@mission-control/contracts';
import type { z } from 'zod';
import type { HttpTransport } from '../transport.js';

/** What the resources share with the client: the transport and the credential it sends. */
export interface ResourceContext {
  transport: HttpTransport;
  /** Replaces the credential sent from now on (after login or refresh). */
  setAccessToken(token: string): void;
  /** The caller's identity, fetched once and remembered. */
  whoAmI(): Promise<Me>;
}

/** Sign-in, sessions and the caller's own API keys (`/auth`). */
export class AuthResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.auth`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** Signs a user in and makes this client use the new access token. */
  async login(input: LoginRequest): Promise<SessionTokens> {
    const session = await this.context.transport.call(endpoints.logIn, { body: input });
    this.context.setAccessToken(session.accessToken);
    return session;
  }

  /** Trades a refresh token for new tokens (the old refresh token stops working) and uses the new access token. */
  async refresh(refreshToken: string): Promise<SessionTokens> {
    // Never retried (the transport sends public POSTs once): a second use of a rotated refresh token revokes the whole session.
    const session = await this.context.transport.call(endpoints.refreshSession, { body: { refreshToken } });
    this.context.setAccessToken(session.accessToken);
    return session;
  }

  /** Ends the session (revokes the refresh token when given). */
  async logout(refreshToken?: string): Promise<void> {
    await this.context.transport.call(endpoints.logOut, { body: refreshToken ? { refreshToken } : {} });
  }

  /** Who the credential belongs to: a user (with workspace and role) or an agent. */
  me(): Promise<Me> {
    return this.context.transport.call(endpoints.getMe);
  }

  /** Lists the signed-in user's own API keys. */
  async listApiKeys(): Promise<ApiKey[]> {
    return (await this.context.transport.call(endpoints.listMyApiKeys)).data;
  }

  /** Creates an API key for the signed-in user; the secret is in the answer once. */
  createApiKey(input: z.input<typeof endpoints.createMyApiKey.body> = {}): Promise<CreatedApiKey> {
    return this.context.transport.call(endpoints.createMyApiKey, { body: input });
  }

  /** Revokes one of the signed-in user's API keys. */
  revokeApiKey(keyId: string): Promise<ApiKey> {
    return this.context.transport.call(endpoints.revokeMyApiKey, { params: { id: keyId } });
  }
}
