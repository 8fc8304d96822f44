import {
  type ApiKey,
  type AuthProviders,
  type CreatedApiKey,
  endpoints,
  isMfaChallenge,
  type LoginRequest,
  type Me,
  type MfaStatus,
  type RecoveryCodes,
  type RotatedApiKey,
  type SessionTokens,
  type TotpEnrolment,
  type VerifyMfaInput,
} from '@mission-control/contracts';
import type { z } from 'zod';
import { MissionControlError } from '../errors.js';
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

  /**
   * Signs a user in and makes this client use the new access token. With MFA on, give `mfa` (a
   * code from the app or a recovery code); without it, throws MFA_REQUIRED with the challenge in `details`.
   */
  async login(input: LoginRequest, mfa?: { code?: string; recoveryCode?: string }): Promise<SessionTokens> {
    const answer = await this.context.transport.call(endpoints.logIn, { body: input });
    if (isMfaChallenge(answer)) {
      if (!mfa) {
        throw new MissionControlError('MFA_REQUIRED', 'This account has MFA on: sign in again with a code from your authenticator app.', {
          status: 200,
          details: answer,
        });
      }
      return this.verifyMfa({ challengeToken: answer.challengeToken, ...mfa });
    }
    this.context.setAccessToken(answer.accessToken);
    return answer;
  }

  /** Finishes a sign-in that answered an MFA challenge, and uses the new access token. */
  async verifyMfa(input: VerifyMfaInput): Promise<SessionTokens> {
    const session = await this.context.transport.call(endpoints.verifyMfa, { body: input });
    this.context.setAccessToken(session.accessToken);
    return session;
  }

  /** The ways this server offers to sign in (password, and single sign-on providers). */
  providers(): Promise<AuthProviders> {
    return this.context.transport.call(endpoints.listAuthProviders);
  }

  /** Trades the one-time code a single sign-on left in the sign-in page's address for tokens, and uses them. */
  async exchangeSingleSignOnCode(code: string): Promise<SessionTokens> {
    const session = await this.context.transport.call(endpoints.exchangeOidcCode, { body: { code } });
    this.context.setAccessToken(session.accessToken);
    return session;
  }

  /** Whether the signed-in person has MFA on, and how many recovery codes are left. */
  mfaStatus(): Promise<MfaStatus> {
    return this.context.transport.call(endpoints.getMfaStatus);
  }

  /** Begins turning on an authenticator app: the secret and its otpauth:// URI (show it as a QR code). */
  beginTotp(): Promise<TotpEnrolment> {
    return this.context.transport.call(endpoints.beginTotpEnrolment);
  }

  /** Turns MFA on with the first code; answers the ten recovery codes, shown once. */
  confirmTotp(code: string): Promise<RecoveryCodes> {
    return this.context.transport.call(endpoints.confirmTotpEnrolment, { body: { code } });
  }

  /** Turns MFA off with a current code or a recovery code. */
  async disableTotp(proof: { code?: string; recoveryCode?: string }): Promise<void> {
    await this.context.transport.call(endpoints.disableTotp, { body: proof });
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

  /** Replaces one of the signed-in user's keys with a new one of the same settings; the old one works for `graceSeconds`. */
  rotateApiKey(keyId: string, input: z.input<typeof endpoints.rotateMyApiKey.body> = {}): Promise<RotatedApiKey> {
    return this.context.transport.call(endpoints.rotateMyApiKey, { params: { id: keyId }, body: input });
  }

  /** Revokes one of the signed-in user's API keys. */
  revokeApiKey(keyId: string): Promise<ApiKey> {
    return this.context.transport.call(endpoints.revokeMyApiKey, { params: { id: keyId } });
  }
}
