import type { Clock } from '../core/clock.js';
import type { DatabaseExecutor } from '../db/database.js';
import { AppError } from '../http/app-error.js';
import type { AccessTokenSigner } from './access-token.js';
import { findActiveSessionRole, findApiKeyWithOwner, parseApiKeyScopes, touchApiKey } from './auth.repository.js';
import type { Principal } from './principal.js';
import { PrincipalCache } from './principal-cache.js';
import { apiKeyPrefix, hashSecretToken } from './secrets.js';

// last_used_at is informational: writing it at most once a minute keeps key auth read-only.
const apiKeyTouchIntervalMs = 60_000;

interface Resolved {
  principal: Principal;
  /** When the credential stops working by itself (ms), or null. */
  expiresAtMs: number | null;
}

/**
 * Resolves Bearer credentials — API keys (`mc_…`) and access tokens — to principals, answering
 * a credential seen less than a second ago from the principal cache (principal-cache.ts).
 */
export function createCredentialAuthentication(context: { db: DatabaseExecutor; clock: Clock; signer: AccessTokenSigner }) {
  const { db, clock, signer } = context;
  const principals = new PrincipalCache();

  async function resolveApiKey(secret: string): Promise<Resolved> {
    const key = await findApiKeyWithOwner(db, hashSecretToken(secret));
    if (!key) throw new AppError('API_KEY_INVALID', 'This API key is not valid. Check that you copied it whole, or create a new one.');
    const now = clock.now();
    if (key.revoked_at) throw new AppError('API_KEY_REVOKED', 'This API key was revoked. Create a new one.');
    if (key.expires_at && key.expires_at <= now.toISOString()) {
      throw new AppError('API_KEY_REVOKED', 'This API key has expired. Create a new one.');
    }
    let principal: Principal;
    if (key.owner_kind === 'agent') {
      if (!key.live_agent_id) throw new AppError('API_KEY_REVOKED', 'The agent this key belongs to was deleted.');
      principal = {
        kind: 'agent',
        id: key.owner_id,
        workspaceId: key.workspace_id,
        role: 'agent',
        sessionId: null,
        scopes: parseApiKeyScopes(key.scopes),
      };
    } else {
      if (!key.member_role) throw new AppError('API_KEY_REVOKED', 'The owner of this key is no longer a member of its workspace.');
      principal = {
        kind: 'user',
        id: key.owner_id,
        workspaceId: key.workspace_id,
        role: key.member_role,
        sessionId: null,
        scopes: parseApiKeyScopes(key.scopes),
      };
    }
    // Only a lookup (at most one a second per key and instance, with the cache) may touch the key,
    // so last_used_at lags real use by at most a minute and a second.
    if (!key.last_used_at || now.getTime() - Date.parse(key.last_used_at) > apiKeyTouchIntervalMs) {
      await touchApiKey(db, key.id, now.toISOString());
    }
    return { principal, expiresAtMs: key.expires_at ? Date.parse(key.expires_at) : null };
  }

  async function resolveAccessToken(token: string): Promise<Resolved> {
    const claims = await signer.verify(token, clock.now());
    const session = await findActiveSessionRole(db, claims.sessionId, claims.userId, claims.workspaceId);
    if (!session) throw new AppError('TOKEN_INVALID', 'This session has ended. Sign in again with POST /api/v1/auth/login.');
    return {
      principal: { kind: 'user', id: claims.userId, workspaceId: claims.workspaceId, role: session.role, sessionId: claims.sessionId },
      expiresAtMs: claims.expiresAt.getTime(),
    };
  }

  return {
    principals,
    /** Resolves a Bearer credential: an API key (`mc_…`) or an access token. */
    async authenticate(credential: string): Promise<Principal> {
      const cached = principals.find(credential, clock.now().getTime());
      if (cached) return cached;
      const token = principals.begin();
      const resolved = await (credential.startsWith(apiKeyPrefix) ? resolveApiKey(credential) : resolveAccessToken(credential));
      principals.store(credential, resolved.principal, clock.now().getTime(), resolved.expiresAtMs, token);
      return resolved.principal;
    },
  };
}
