import { endpoints } from '@mission-control/contracts';
import { isMissionControlError } from '@mission-control/sdk';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { queryKeys } from '../../lib/query-keys';
import { useClient } from '../../lib/services-context';

export function useWorkingState() {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.workingState,
    queryFn: ({ signal }) => client.request(endpoints.getWorkingState, { signal }),
  });
}

/** What a 412 carries: the notes someone else saved, to merge with. */
const conflictDetailsSchema = z.object({ currentVersion: z.number().int(), currentNotes: z.string() });
export type NotesConflict = z.infer<typeof conflictDetailsSchema>;

export function conflictOf(error: unknown): NotesConflict | null {
  if (!isMissionControlError(error) || error.status !== 412) return null;
  return conflictDetailsSchema.safeParse(error.details).data ?? null;
}

export function useSaveWorkingNotes() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ notes, version }: { notes: string; version: number }) =>
      client.request(endpoints.updateWorkingStateNotes, { body: { notes }, headers: { 'if-match': `"${version}"` } }),
    onSuccess: (state) => queryClient.setQueryData(queryKeys.workingState, state),
  });
}

export function useWorkingStateVersions() {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.workingStateVersions,
    queryFn: ({ signal }) => client.request(endpoints.listWorkingStateVersions, { query: { limit: 200 }, signal }),
  });
}

export function useWorkingStateVersion(version: number | null) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.workingStateVersion(version ?? 0),
    queryFn: ({ signal }) => client.request(endpoints.getWorkingStateVersion, { params: { version: version ?? 0 }, signal }),
    enabled: version !== null,
  });
}

export function useRestoreWorkingStateVersion() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    // If-Match carries the current version the person looked at, so a restore never hides a save made meanwhile.
    mutationFn: ({ version, currentVersion }: { version: number; currentVersion: number }) =>
      client.request(endpoints.restoreWorkingStateVersion, { params: { version }, headers: { 'if-match': `"${currentVersion}"` } }),
    onSuccess: (state) => {
      queryClient.setQueryData(queryKeys.workingState, state);
      void queryClient.invalidateQueries({ queryKey: queryKeys.workingStateVersions });
    },
  });
}
