import { type Activity, type ErrorCode, streamCloseCodes } from '@mission-control/contracts';
import { can } from '../auth/permissions.js';
import type { Principal } from '../auth/principal.js';
import { apiKeyPrefix } from '../auth/secrets.js';

/** Why an open stream, MCP session or chat answer must stop: the close code, an error code and what to do. */
export interface Revocation {
  /** 4401: the credential no longer works; 4403: it works, but no longer gives access. */
  closeCode: typeof streamCloseCodes.credentialInvalid | typeof streamCloseCodes.accessLost;
  code: ErrorCode;
  message: string;
}

/** Someone holding something open: the credential they authenticated with and who it resolved to. */
export interface CredentialHolder {
  credential: string;
  principal: Principal;
}

const credentialInvalid = (code: ErrorCode, message: string): Revocation => ({
  closeCode: streamCloseCodes.credentialInvalid,
  code,
  message,
});
const accessLost = (message: string): Revocation => ({ closeCode: streamCloseCodes.accessLost, code: 'FORBIDDEN', message });

/**
 * What one event changes for a holder: nothing, a new role (the holder keeps what it has while
 * the role still reads the workspace), or a revocation. Decided from the event alone, so every
 * instance decides alike and at once, without a query.
 */
export function reviewHolder(holder: CredentialHolder, activity: Activity): { revocation?: Revocation; role?: Principal['role'] } {
  const { principal, credential } = holder;
  if (activity.workspaceId !== principal.workspaceId) return {};
  switch (activity.type) {
    case 'api-key-revoked': {
      const ownedByHolder = principal.kind === 'agent' ? activity.agentId === principal.id : activity.agentId === null;
      // The prefix is the key's first characters: the event names the key without its secret.
      const sameKey =
        credential.startsWith(apiKeyPrefix) &&
        activity.data.prefix.length > apiKeyPrefix.length &&
        credential.startsWith(activity.data.prefix);
      return ownedByHolder && sameKey
        ? { revocation: credentialInvalid('API_KEY_REVOKED', 'This API key was revoked. Create a new one.') }
        : {};
    }
    case 'agent-deleted':
      return principal.kind === 'agent' && activity.agentId === principal.id
        ? { revocation: credentialInvalid('API_KEY_REVOKED', 'The agent this key belongs to was deleted.') }
        : {};
    case 'member-removed':
      return principal.kind === 'user' && activity.data.userId === principal.id
        ? { revocation: accessLost('You are no longer a member of this workspace. Ask an owner or admin to invite you again.') }
        : {};
    case 'member-updated': {
      if (principal.kind !== 'user' || activity.data.userId !== principal.id) return {};
      const role = activity.data.role;
      if (!can({ ...principal, role }, 'workspace:read')) {
        return { revocation: accessLost(`Your role changed to ${role}, which cannot read this workspace.`) };
      }
      return { role };
    }
    case 'role-updated':
    case 'role-deleted':
      // The holder's permissions changed: cached principals are dropped and looked up again.
      return principal.kind === 'user' && principal.customRole?.id === activity.data.roleId ? { role: principal.role } : {};
    case 'session-ended':
      return principal.kind === 'user' && principal.sessionId === activity.data.sessionId
        ? {
            revocation: credentialInvalid(
              'TOKEN_INVALID',
              activity.data.reason === 'signed-out'
                ? 'You signed out of this session. Sign in again with POST /api/v1/auth/login.'
                : activity.data.reason === 'account-erased'
                  ? 'This account was erased, so its sessions ended.'
                  : 'This session was ended because its refresh token was used twice. Sign in again.',
            ),
          }
        : {};
    default:
      return {};
  }
}

/** The revocation of a credential whose own expiry came. */
export function expiryRevocation(holder: CredentialHolder): Revocation {
  return holder.credential.startsWith(apiKeyPrefix)
    ? credentialInvalid('API_KEY_REVOKED', 'This API key has expired. Create a new one.')
    : credentialInvalid('TOKEN_EXPIRED', 'The access token has expired. Get a new one with POST /api/v1/auth/refresh and reconnect.');
}
