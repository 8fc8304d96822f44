import type { BlockList } from 'node:net';
import type { PrincipalReference, WorkspaceRole } from '@mission-control/contracts';

/** What the API key a caller used limits by itself, beyond its owner's role. */
export interface ApiKeyRestrictions {
  id: string;
  /** The addresses the key may be used from; null when any may. */
  allowedAddresses: BlockList | null;
  /** Requests a minute counted for this key alone; null when it shares its owner's limit. */
  rateLimitPerMinute: number | null;
  /** The key every request must be signed with; null when no signature is needed. */
  signingKey: Buffer | null;
}

/** A custom role the user holds: their built-in role, narrowed to these permission names. */
export interface PrincipalCustomRole {
  id: string;
  name: string;
  permissions: readonly string[];
}

/** The caller, as the authenticate plugin resolved it. Every service call takes one. */
export type Principal =
  | {
      kind: 'user';
      id: string;
      workspaceId: string;
      role: WorkspaceRole;
      /** The login session; null when the user called with an API key. */
      sessionId: string | null;
      /** The permissions a scoped API key is limited to; absent or null for full access. */
      scopes?: readonly string[] | null;
      /** Set when the user called with an API key. */
      apiKey?: ApiKeyRestrictions;
      /** Set when the user holds a custom role in the workspace. */
      customRole?: PrincipalCustomRole;
      /** Set when their organisation requires a second factor they have not enrolled: they may only enrol one. */
      mfaEnrolmentRequired?: true;
    }
  | {
      kind: 'agent';
      id: string;
      workspaceId: string;
      role: 'agent';
      sessionId: null;
      scopes?: readonly string[] | null;
      apiKey?: ApiKeyRestrictions;
    };

export function toPrincipalReference(principal: Principal): PrincipalReference {
  return { kind: principal.kind, id: principal.id };
}

/** The platform itself, for work nobody asked for in a request (sweeps, expiries). Reads only. */
export function systemPrincipal(workspaceId: string): Principal {
  return { kind: 'user', id: 'system', workspaceId, role: 'viewer', sessionId: null };
}
