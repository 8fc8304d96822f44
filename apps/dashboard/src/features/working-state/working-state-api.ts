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
