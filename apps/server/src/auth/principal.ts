import type { PrincipalReference, WorkspaceRole } from '@mission-control/contracts';

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
    }
  | {
      kind: 'agent';
      id: string;
      workspaceId: string;
      role: 'agent';
      sessionId: null;
      scopes?: readonly string[] | null;
    };

export function toPrincipalReference(principal: Principal): PrincipalReference {
  return { kind: principal.kind, id: principal.id };
}

/** The platform itself, for work nobody asked for in a request (sweeps, expiries). Reads only. */
export function systemPrincipal(workspaceId: string): Principal {
  return { kind: 'user', id: 'system', workspaceId, role: 'viewer', sessionId: null };
}
