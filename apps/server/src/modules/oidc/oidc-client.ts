import * as openid from 'openid-client';

/** One OpenID Connect provider, configured per instance (MISSION_OIDC_*). */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** This server's callback, as registered at the provider. */
  redirectUri: string;
  /** Email domains that may sign in (lower case); every domain when empty. */
  allowedEmailDomains: readonly string[];
  /** What the sign-in button says after “Sign in with”. */
  providerName: string;
  /** Lets an http:// issuer through (a provider on the same machine, tests); never for a real provider. */
  allowInsecureRequests?: boolean;
  /** Scopes asked for beside `openid email profile` (some providers share groups only with a `groups` scope). */
  extraScopes?: readonly string[];
  /** Groups that make a person a member of a workspace on their first sign-in; none when left out. */
  groupRoles?: OidcGroupRoles | undefined;
}

/** MISSION_OIDC_GROUP_ROLES and its companions. */
export interface OidcGroupRoles {
  /** Group name → the role it gives. */
  roles: ReadonlyMap<string, 'admin' | 'member' | 'viewer'>;
  /** The claim listing the person's groups. */
  claim: string;
  /** The workspace the roles apply to; the instance's oldest when left out. */
  workspaceId?: string | undefined;
}

export interface OidcIdentityClaims {
  issuer: string;
  subject: string;
  email: string | undefined;
  emailVerified: boolean;
  name: string | undefined;
  /** The groups the provider says the person is in (the configured claim); empty when it says none. */
  groups: string[];
}

/** A groups claim as a list of names: providers send an array of strings, some a single string. */
function readGroups(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) return [];
  return value.filter((group): group is string => typeof group === 'string');
}

/**
 * openid-client, set up once: the provider's metadata is discovered on first use (and again after
 * a failure). Each callback gets a configuration whose clock follows the server's injected clock,
 * so the ID token's expiry is judged by the same time as everything else.
 */
export function createOidcClient(settings: OidcSettings) {
  const groupsClaim = settings.groupRoles?.claim ?? 'groups';
  let discovered: Promise<openid.Configuration> | undefined;

  function discover(): Promise<openid.Configuration> {
    discovered ??= openid
      .discovery(new URL(settings.issuer), settings.clientId, settings.clientSecret, undefined, {
        ...(settings.allowInsecureRequests ? { execute: [openid.allowInsecureRequests] } : {}),
      })
      .catch((error: unknown) => {
        discovered = undefined;
        throw error;
      });
    return discovered;
  }

  async function configurationAt(now: Date): Promise<openid.Configuration> {
    const base = await discover();
    const skewSeconds = Math.round((now.getTime() - Date.now()) / 1000);
    const configuration = new openid.Configuration(base.serverMetadata(), settings.clientId, {
      client_secret: settings.clientSecret,
      [openid.clockSkew]: skewSeconds,
    });
    if (settings.allowInsecureRequests) openid.allowInsecureRequests(configuration);
    const jwks = openid.getJwksCache(base);
    if (jwks) openid.setJwksCache(configuration, jwks);
    return configuration;
  }

  return {
    settings,

    /** The provider's authorisation URL for one sign-in (code flow, PKCE S256, state and nonce). */
    async buildAuthorizationUrl(input: { state: string; nonce: string; codeVerifier: string }): Promise<string> {
      const configuration = await discover();
      const url = openid.buildAuthorizationUrl(configuration, {
        redirect_uri: settings.redirectUri,
        scope: ['openid', 'email', 'profile', ...(settings.extraScopes ?? [])].join(' '),
        response_type: 'code',
        state: input.state,
        nonce: input.nonce,
        code_challenge: await openid.calculatePKCECodeChallenge(input.codeVerifier),
        code_challenge_method: 'S256',
      });
      return url.href;
    },

    /** Trades the code for tokens and verifies the ID token; throws when anything does not check out. */
    async finishSignIn(
      callbackUrl: URL,
      checks: { state: string; nonce: string; codeVerifier: string },
      now: Date,
    ): Promise<OidcIdentityClaims> {
      const configuration = await configurationAt(now);
      const tokens = await openid.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new Error('The provider answered no ID token.');
      const jwks = openid.getJwksCache(configuration);
      const base = await discover();
      if (jwks) openid.setJwksCache(base, jwks);
      // Some providers keep the ID token small and give email only at the userinfo endpoint.
      const profile =
        typeof claims.email === 'string' ? claims : await openid.fetchUserInfo(configuration, tokens.access_token, claims.sub);
      return {
        issuer: claims.iss,
        subject: claims.sub,
        email: typeof profile.email === 'string' ? profile.email.toLowerCase() : undefined,
        emailVerified: profile.email_verified === true,
        name: typeof profile.name === 'string' ? profile.name : undefined,
        groups: readGroups(claims[groupsClaim] ?? profile[groupsClaim]),
      };
    },
  };
}

export type OidcClient = ReturnType<typeof createOidcClient>;
