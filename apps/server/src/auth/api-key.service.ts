import { createHmac } from 'node:crypto';
import type { ApiKey, CreateApiKeyInput, CreatedApiKey, RotateApiKeyInput, RotatedApiKey } from '@mission-control/contracts';
import { allEndpoints, listPermissionNames, signingKeyPurpose } from '@mission-control/contracts';
import type { Selectable } from 'kysely';
import { createId } from '../core/ids.js';
import { createSecretBox, type SecretBox } from '../core/secret-box.js';
import type { ServiceContext } from '../core/service-context.js';
import type { DatabaseExecutor } from '../db/database.js';
import type { ApiKeyTable } from '../db/schema.js';
import { appendEvent } from '../events/event.repository.js';
import { AppError } from '../http/app-error.js';
import type { AuditService } from '../modules/audit/audit.service.js';
import {
  deleteExpiredRequestSignatures,
  findApiKeyOfOwner,
  insertApiKey,
  listApiKeysOfOwner,
  listRotatedApiKeysPastGrace,
  markApiKeyReplaced,
  parseApiKeyAddresses,
  parseApiKeyScopes,
  rememberRequestSignature,
  revokeApiKey,
  toApiKey,
} from './auth.repository.js';
import { assertCan } from './permissions.js';
import { type Principal, toPrincipalReference } from './principal.js';
import { apiKeyPrefix, generateSecretToken, hashSecretToken } from './secrets.js';

const permissionNames = new Set(listPermissionNames(allEndpoints));
/** Rotated keys revoked per sweep at most; the next sweep takes the rest. */
const rotatedKeysPerSweep = 200;

/** Whose key it is, with a name for people to read in the audit log and the activity feed. */
export interface ApiKeyOwner {
  kind: 'agent' | 'user';
  id: string;
  label: string;
}

/** What a key may do beyond its owner's role: its scopes, addresses, rate limit and signing requirement. */
interface ApiKeyControls {
  scopes: readonly string[] | undefined;
  allowedIps: readonly string[] | undefined;
  rateLimitPerMinute: number | undefined;
  requireSignature: boolean;
}

export interface ApiKeyServiceDependencies {
  /** Keys created, rotated and revoked are recorded in the audit log. */
  audit: Pick<AuditService, 'recordAuditEntry'>;
}

/**
 * The signing key of an API key: HMAC-SHA256 of the purpose, keyed by the API key. The SDK derives
 * the same from the key it holds; the server keeps it sealed, so neither a copy of the database nor
 * the signing key reveals the API key itself.
 */
export function deriveRequestSigningKey(apiKeySecret: string): Buffer {
  return createHmac('sha256', apiKeySecret).update(signingKeyPurpose).digest();
}

/** API keys of agents and people: creation with their controls, rotation with a grace period, revocation. */
export class ApiKeyService {
  private readonly signingKeys: SecretBox;

  constructor(
    private readonly context: ServiceContext,
    options: { instanceSecret: Uint8Array },
    private readonly dependencies: ApiKeyServiceDependencies,
  ) {
    this.signingKeys = createSecretBox(options.instanceSecret, 'api-key-request-signing');
  }

  /** The signing key sealed with a key row, or null when the key needs no signature (or it cannot be opened). */
  openSigningKey(sealed: string | null): Buffer | null {
    if (sealed === null) return null;
    const opened = this.signingKeys.open(sealed);
    return opened === null ? null : Buffer.from(opened, 'base64url');
  }

  /** Creates an API key for an agent or a user. The secret is in the answer and nowhere else. */
  async createApiKey(principal: Principal, owner: ApiKeyOwner, input: CreateApiKeyInput): Promise<CreatedApiKey> {
    if (owner.kind === 'agent') assertCan(principal, 'agent:manage');
    const now = this.context.clock.now();
    if (input.expiresAt && input.expiresAt <= now.toISOString()) {
      throw new AppError('VALIDATION_FAILED', 'expiresAt must be in the future.');
    }
    const unknownScopes = (input.scopes ?? []).filter((scope) => !permissionNames.has(scope));
    if (unknownScopes.length > 0) {
      throw new AppError('VALIDATION_FAILED', `Unknown scopes: ${unknownScopes.join(', ')}. GET /api/v1/permissions lists the names.`);
    }
    const controls: ApiKeyControls = {
      scopes: input.scopes,
      allowedIps: input.allowedIps,
      rateLimitPerMinute: input.rateLimitPerMinute,
      requireSignature: input.requireSignature ?? false,
    };
    const expiresAt = input.expiresAt ? new Date(input.expiresAt).toISOString() : null;
    return this.context.db.transaction().execute(async (trx) => {
      const created = await this.insertKey(trx, principal, owner, { name: input.name, expiresAt, controls });
      await this.recordCreation(trx, principal, owner, created.row, `API key "${input.name}" created for ${owner.label}`);
      return { apiKey: toApiKey(created.row), secret: created.secret };
    });
  }

  async listApiKeys(principal: Principal, owner: Omit<ApiKeyOwner, 'label'>): Promise<ApiKey[]> {
    const rows = await listApiKeysOfOwner(this.context.db, principal.workspaceId, owner.kind, owner.id);
    return rows.map(toApiKey);
  }

  /**
   * Replaces a live key with a new one of the same settings. The old key keeps working for the
   * grace period (its expiry moved to the end of it, never later than it was) and the sweep revokes
   * it then; a grace of 0 revokes it in this transaction.
   */
  async rotateApiKey(principal: Principal, owner: ApiKeyOwner, keyId: string, input: RotateApiKeyInput): Promise<RotatedApiKey> {
    if (owner.kind === 'agent') assertCan(principal, 'agent:manage');
    const now = this.context.clock.now();
    const nowText = now.toISOString();
    if (input.expiresAt && input.expiresAt <= nowText) throw new AppError('VALIDATION_FAILED', 'expiresAt must be in the future.');
    return this.context.db.transaction().execute(async (trx) => {
      const old = await findApiKeyOfOwner(trx, principal.workspaceId, owner.kind, owner.id, keyId);
      if (!old) throw new AppError('API_KEY_NOT_FOUND', 'No API key with this id belongs to this owner.');
      if (old.revoked_at || old.replaced_by_id || (old.expires_at && old.expires_at <= nowText)) {
        throw new AppError(
          'API_KEY_NOT_ROTATABLE',
          old.replaced_by_id
            ? `This key was already rotated; rotate its successor (${old.replaced_by_id}) instead.`
            : 'This key was revoked or has expired, so it cannot be rotated. Create a new key.',
          old.replaced_by_id ? { reason: 'rotated', replacedById: old.replaced_by_id } : { reason: old.revoked_at ? 'revoked' : 'expired' },
        );
      }
      const created = await this.insertKey(trx, principal, owner, {
        name: old.name,
        expiresAt: input.expiresAt ? new Date(input.expiresAt).toISOString() : old.expires_at,
        controls: {
          scopes: parseApiKeyScopes(old.scopes) ?? undefined,
          allowedIps: parseApiKeyAddresses(old.allowed_ips) ?? undefined,
          rateLimitPerMinute: old.rate_limit_per_minute ?? undefined,
          requireSignature: old.sealed_signing_key !== null,
        },
      });
      const graceEnd = new Date(now.getTime() + input.graceSeconds * 1000).toISOString();
      const previousExpiry = old.expires_at && old.expires_at < graceEnd ? old.expires_at : graceEnd;
      const revokedAt = input.graceSeconds === 0 ? nowText : null;
      if (!(await markApiKeyReplaced(trx, old.id, { replacedById: created.row.id, expiresAt: previousExpiry, revokedAt }))) {
        throw new AppError('API_KEY_NOT_ROTATABLE', 'This key was rotated or revoked at the same moment. List the keys and try again.', {
          reason: 'concurrent',
        });
      }
      const summary = `API key "${old.name}" of ${owner.label} rotated`;
      await this.recordCreation(trx, principal, owner, created.row, summary, old.id);
      await this.dependencies.audit.recordAuditEntry(trx, {
        workspaceId: principal.workspaceId,
        actor: principal,
        action: 'api-key.rotated',
        targetKind: 'api-key',
        targetId: old.id,
        summary,
        before: { expiresAt: old.expires_at, replacedById: null },
        after: { expiresAt: previousExpiry, replacedById: created.row.id, graceSeconds: input.graceSeconds },
      });
      if (revokedAt) await this.announceRevocation(trx, principal, owner, old, now);
      const previous = toApiKey({ ...old, replaced_by_id: created.row.id, expires_at: previousExpiry, revoked_at: revokedAt });
      return { apiKey: toApiKey(created.row), secret: created.secret, previous };
    });
  }

  async revokeApiKey(principal: Principal, owner: ApiKeyOwner, keyId: string): Promise<ApiKey> {
    if (owner.kind === 'agent') assertCan(principal, 'agent:manage');
    return this.context.db.transaction().execute(async (trx) => {
      const key = await findApiKeyOfOwner(trx, principal.workspaceId, owner.kind, owner.id, keyId);
      if (!key) throw new AppError('API_KEY_NOT_FOUND', 'No API key with this id belongs to this owner.');
      const now = this.context.clock.now();
      // A concurrent revocation already audited and announced it: this request only answers it.
      if (!key.revoked_at && (await revokeApiKey(trx, key.id, now.toISOString()))) {
        await this.dependencies.audit.recordAuditEntry(trx, {
          workspaceId: principal.workspaceId,
          actor: principal,
          action: 'api-key.revoked',
          targetKind: 'api-key',
          targetId: key.id,
          summary: `API key "${key.name}" of ${owner.label} revoked`,
          before: { revokedAt: null },
          after: { revokedAt: now.toISOString() },
        });
        await this.announceRevocation(trx, principal, owner, key, now);
      }
      return toApiKey({ ...key, revoked_at: key.revoked_at ?? now.toISOString() });
    });
  }

  /**
   * Revokes rotated keys whose grace ended, with `api-key-revoked` so that open streams close and
   * every instance's principal cache forgets them. Until then an expired key is refused anyway.
   */
  async revokeRotatedKeysPastGrace(): Promise<number> {
    const now = this.context.clock.now();
    const due = await listRotatedApiKeysPastGrace(this.context.db, now.toISOString(), rotatedKeysPerSweep);
    for (const key of due) {
      await this.context.db.transaction().execute(async (trx) => {
        // Another instance's sweep, or a person, may have revoked it since it was listed: announce once.
        if (!(await revokeApiKey(trx, key.id, now.toISOString()))) return;
        const owner = { kind: key.owner_kind, id: key.owner_id, label: key.owner_kind === 'agent' ? 'an agent' : 'a person' };
        await appendEvent(trx, {
          workspaceId: key.workspace_id,
          type: 'api-key-revoked',
          actor: null,
          agentId: owner.kind === 'agent' ? owner.id : null,
          summary: `API key "${key.name}" revoked: the grace period after its rotation ended`,
          data: { apiKeyId: key.id, prefix: key.prefix },
          at: now,
        });
      });
    }
    return due.length;
  }

  /** Remembers a request signature until it could no longer pass the clock check; false when it was seen before. */
  rememberRequestSignature(signatureHash: string, expiresAt: string): Promise<boolean> {
    return rememberRequestSignature(this.context.db, signatureHash, expiresAt);
  }

  /** Forgets request signatures that could no longer pass the clock check anyway. */
  async deleteExpiredRequestSignatures(): Promise<void> {
    await deleteExpiredRequestSignatures(this.context.db, this.context.clock.now().toISOString());
  }

  private async insertKey(
    executor: DatabaseExecutor,
    principal: Principal,
    owner: ApiKeyOwner,
    key: { name: string; expiresAt: string | null; controls: ApiKeyControls },
  ): Promise<{ row: Selectable<ApiKeyTable>; secret: string }> {
    const secret = generateSecretToken(apiKeyPrefix);
    const { controls } = key;
    const row = {
      id: createId(),
      workspace_id: principal.workspaceId,
      owner_kind: owner.kind,
      owner_id: owner.id,
      name: key.name,
      prefix: secret.slice(0, apiKeyPrefix.length + 8),
      secret_hash: hashSecretToken(secret),
      created_at: this.context.clock.now().toISOString(),
      last_used_at: null,
      revoked_at: null,
      expires_at: key.expiresAt,
      scopes: controls.scopes ? JSON.stringify([...new Set(controls.scopes)].sort()) : null,
      allowed_ips: controls.allowedIps ? JSON.stringify([...new Set(controls.allowedIps)]) : null,
      rate_limit_per_minute: controls.rateLimitPerMinute ?? null,
      sealed_signing_key: controls.requireSignature ? this.signingKeys.seal(deriveRequestSigningKey(secret).toString('base64url')) : null,
      last_used_ip: null,
      replaced_by_id: null,
    };
    await insertApiKey(executor, row);
    return { row, secret };
  }

  private async recordCreation(
    executor: DatabaseExecutor,
    principal: Principal,
    owner: ApiKeyOwner,
    row: Selectable<ApiKeyTable>,
    summary: string,
    rotatedFromId?: string,
  ): Promise<void> {
    const key = toApiKey(row);
    await this.dependencies.audit.recordAuditEntry(executor, {
      workspaceId: principal.workspaceId,
      actor: principal,
      action: 'api-key.created',
      targetKind: 'api-key',
      targetId: row.id,
      summary,
      after: {
        name: key.name,
        prefix: key.prefix,
        owner: key.owner,
        expiresAt: key.expiresAt,
        scopes: key.scopes,
        allowedIps: key.allowedIps,
        rateLimitPerMinute: key.rateLimitPerMinute,
        requireSignature: key.requireSignature,
        ...(rotatedFromId ? { rotatedFromId } : {}),
      },
    });
    await appendEvent(executor, {
      workspaceId: principal.workspaceId,
      type: 'api-key-created',
      actor: toPrincipalReference(principal),
      agentId: owner.kind === 'agent' ? owner.id : null,
      summary,
      data: { apiKeyId: row.id, prefix: row.prefix, owner: { kind: owner.kind, id: owner.id } },
      at: this.context.clock.now(),
    });
  }

  private async announceRevocation(
    executor: DatabaseExecutor,
    principal: Principal,
    owner: ApiKeyOwner,
    key: Pick<Selectable<ApiKeyTable>, 'id' | 'name' | 'prefix'>,
    at: Date,
  ): Promise<void> {
    await appendEvent(executor, {
      workspaceId: principal.workspaceId,
      type: 'api-key-revoked',
      actor: toPrincipalReference(principal),
      agentId: owner.kind === 'agent' ? owner.id : null,
      summary: `API key "${key.name}" of ${owner.label} revoked`,
      data: { apiKeyId: key.id, prefix: key.prefix },
      at,
    });
  }
}
