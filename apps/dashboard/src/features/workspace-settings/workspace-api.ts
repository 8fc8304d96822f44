import {
  endpoints,
  type RetentionSettings,
  type UpdateRetentionSettingsInput,
  type UpdateWorkspaceInput,
  type Workspace,
  type WorkspaceRole,
  type WorkspaceRuntimeSettings,
} from '@mission-control/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../lib/query-keys';
import { useServices } from '../../lib/services-context';

/** Whether a role may rename the workspace and set its WIP limits (the server's rule for PATCH /workspace). */
export function canEditWorkspace(role: WorkspaceRole | undefined): boolean {
  return role === 'owner' || role === 'admin';
}

/** Whether a role may change the runtime settings (the server lets members too; viewers only read). */
export function canEditRuntimeSettings(role: WorkspaceRole | undefined): boolean {
  return role === 'owner' || role === 'admin' || role === 'member';
}

/** The workspace as the server has it now (name, WIP limits); the session's copy is only a first guess. */
export function useWorkspace() {
  const { client, session } = useServices();
  return useQuery({
    queryKey: queryKeys.workspace,
    queryFn: () => client.request(endpoints.getWorkspace),
    placeholderData: () => session.current?.workspace,
  });
}

/** Renames the workspace or changes its WIP limits; the shell's name (from the session) follows. */
export function useUpdateWorkspace() {
  const { client, session } = useServices();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateWorkspaceInput) => client.request(endpoints.updateWorkspace, { body: input }),
    onSuccess: (workspace) => {
      queryClient.setQueryData(queryKeys.workspace, workspace);
      adoptWorkspace(session, workspace);
    },
  });
}

/** Writes the new workspace into the stored session, so the header and other tabs show the new name. */
function adoptWorkspace(session: ReturnType<typeof useServices>['session'], workspace: Workspace): void {
  const current = session.current;
  if (current && current.workspace.id === workspace.id) session.set({ ...current, workspace });
}

export function useRuntimeSettings() {
  const { client } = useServices();
  return useQuery({
    queryKey: queryKeys.workspaceRuntimeSettings,
    queryFn: () => client.request(endpoints.getWorkspaceRuntimeSettings),
  });
}

export function useUpdateRuntimeSettings() {
  const { client } = useServices();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: Partial<WorkspaceRuntimeSettings>) => client.request(endpoints.updateWorkspaceRuntimeSettings, { body: input }),
    onSuccess: (settings) => queryClient.setQueryData(queryKeys.workspaceRuntimeSettings, settings),
  });
}

/** Whether a role may change how long messages and run transcripts are kept (the server's rule for PUT /workspace/retention). */
export function canEditRetention(role: WorkspaceRole | undefined): boolean {
  return role === 'owner' || role === 'admin';
}

/** How long the workspace keeps task messages and run transcripts (null: forever); everyone may read it. */
export function useRetentionSettings() {
  const { client } = useServices();
  return useQuery({
    queryKey: queryKeys.workspaceRetention,
    queryFn: () => client.request(endpoints.getRetentionSettings),
  });
}

export function useUpdateRetentionSettings() {
  const { client } = useServices();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateRetentionSettingsInput) => client.request(endpoints.updateRetentionSettings, { body: input }),
    onSuccess: (settings: RetentionSettings) => queryClient.setQueryData(queryKeys.workspaceRetention, settings),
  });
}
