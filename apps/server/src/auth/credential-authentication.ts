import { BlockList, isIPv4 } from 'node:net';
import { z } from 'zod';
import type { Clock } from '../core/clock.js';
import type { DatabaseExecutor } from '../db/database.js';
import { parseJsonColumn } from '../db/json-column.js';
import { AppError } from '../http/app-error.js';
import type { AccessTokenSigner } from './access-token.js';
import { findActiveSessionRole, findApiKeyWithOwner, parseApiKeyAddresses, parseApiKeyScopes, touchApiKey } from './auth.repository.js';
import type { ApiKeyRestrictions, Principal, PrincipalCustomRole } from './principal.js';
import { PrincipalCache } from './principal-cache.js';
import { apiKeyPrefix, hashSecretToken } from './secrets.js';

// last_used_at is informational: writing it at most once a minute keeps key auth read-only.
const apiKeyTouchIntervalMs = 60_000;

/** The allow-list of a key as a BlockList (addresses and CIDR ranges of both families). */
function toBlockList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const family = isIPv4(address) ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}

/** Whether an address is in a key's allow-list; an IPv4 client seen through an IPv6 socket counts as IPv4. */
export function isAddressAllowed(list: BlockList, address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return list.check(mapped, 'ipv4') || list.check(address, 'ipv6');
  return list.check(address, isIPv4(address) ? 'ipv4' : 'ipv6');
}

const rolePermissionsSchema = z.array(z.string());

/** The custom role joined onto a membership, when the member holds one. */
function toCustomRole(row: {
  custom_role_id: string | null;
  custom_role_name: string | null;
  custom_role_permissions: unknown;
}): PrincipalCustomRole | undefined {
  if (!row.custom_role_id || row.custom_role_name === null) return undefined;
  return {
    id: row.custom_role_id,
    name: row.custom_role_name,
    permissions: parseJsonColumn(rolePermissionsSchema, row.custom_role_permissions, 'custom_roles.permissions'),
  };
}

interface Resolved {
  principal: Principal;
  /** When the credential stops working by itself (ms), or null. */
  expiresAtMs: number | null;
}

/**
 * Resolves Bearer credentials — API keys (`mc_…`) and access tokens — to principals, answering
 * a credential seen less than a second ago from the principal cache (principal-cache.ts).
 */
export function createCredentialAuthentication(context: {
  db: DatabaseExecutor;
  clock: Clock;
  signer: AccessTokenSigner;
  /** Opens the sealed signing key of a key that requires signed requests. */
  openSigningKey: (sealed: string | null) => Buffer | null;
}) {
  const { db, clock, signer } = context;
  const principals = new PrincipalCache();

  async function resolveApiKey(secret: string, address: string | null): Promise<Resolved> {
    const key = await findApiKeyWithOwner(db, hashSecretToken(secret));
    if (!key) throw new AppError('API_KEY_INVALID', 'This API key is not valid. Check that you copied it whole, or create a new one.');
    const now = clock.now();
    if (key.revoked_at) throw new AppError('API_KEY_REVOKED', 'This API key was revoked. Create a new one.');
    if (key.expires_at && key.expires_at <= now.toISOString()) {
      throw new AppError('API_KEY_REVOKED', 'This API key has expired. Create a new one.');
    }
    const allowedIps = parseApiKeyAddresses(key.allowed_ips);
    const apiKey: ApiKeyRestrictions = {
      id: key.id,
      allowedAddresses: allowedIps ? toBlockList(allowedIps) : null,
      rateLimitPerMinute: key.rate_limit_per_minute,
      signingKey: context.openSigningKey(key.sealed_signing_key),
    };
    if (key.sealed_signing_key !== null && apiKey.signingKey === null) {
      // Sealed under another instance secret: refusing is safer than letting unsigned requests through.
      throw new AppError(
        'SIGNATURE_INVALID',
        'This key requires signed requests, but this server cannot read its signing key. Create a new key.',
      );
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
        apiKey,
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
        apiKey,
      };
      const customRole = toCustomRole(key);
      if (customRole) principal.customRole = customRole;
    }
    // Only a lookup (at most one a second per key and instance, with the cache) may touch the key,
    // so last_used_at lags real use by at most a minute and a second.
    // A refused address is not recorded as the key's last use.
    const addressAllowed = address === null || !apiKey.allowedAddresses || isAddressAllowed(apiKey.allowedAddresses, address);
    if (addressAllowed && (!key.last_used_at || now.getTime() - Date.parse(key.last_used_at) > apiKeyTouchIntervalMs)) {
      await touchApiKey(db, key.id, now.toISOString(), address);
    }
    return { principal, expiresAtMs: key.expires_at ? Date.parse(key.expires_at) : null };
  }

  async function resolveAccessToken(token: string): Promise<Resolved> {
    const claims = await signer.verify(token, clock.now());
    const session = await findActiveSessionRole(db, claims.sessionId, claims.userId, claims.workspaceId);
    if (!session) throw new AppError('TOKEN_INVALID', 'This session has ended. Sign in again with POST /api/v1/auth/login.');
    const customRole = toCustomRole(session);
    return {
      principal: {
        kind: 'user',
        id: claims.userId,
        workspaceId: claims.workspaceId,
        role: session.role,
        sessionId: claims.sessionId,
        ...(customRole ? { customRole } : {}),
        ...(session.mfa_enrolment_required === 1 ? { mfaEnrolmentRequired: true } : {}),
      },
      expiresAtMs: claims.expiresAt.getTime(),
    };
  }

  return {
    principals,
    /** Resolves a Bearer credential: an API key (`mc_…`) or an access token; `address` is the caller's, recorded on the key. */
    async authenticate(credential: string, address: string | null = null): Promise<Principal> {
      const cached = principals.find(credential, clock.now().getTime());
      if (cached) return cached;
      const token = principals.begin();
      const resolved = await (credential.startsWith(apiKeyPrefix) ? resolveApiKey(credential, address) : resolveAccessToken(credential));
      principals.store(credential, resolved.principal, clock.now().getTime(), resolved.expiresAtMs, token);
      return resolved.principal;
    },
  };
}
