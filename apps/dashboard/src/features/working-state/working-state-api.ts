import { workingStateSchema } from '@mission-control/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { ApiError } from '../../lib/api-error';
import { queryKeys } from '../../lib/query-keys';
import { useApi } from '../../lib/services-context';

export function useWorkingState() {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.workingState,
    queryFn: ({ signal }) => api.get('/state/working-md', { schema: workingStateSchema, signal }),
  });
}

/** What a 412 carries: the notes someone else saved, to merge with. */
const conflictDetailsSchema = z.object({ currentVersion: z.number().int(), currentNotes: z.string() });
export type NotesConflict = z.infer<typeof conflictDetailsSchema>;

export function conflictOf(error: unknown): NotesConflict | null {
  if (!(error instanceof ApiError) || error.status !== 412) return null;
  return conflictDetailsSchema.safeParse(error.details).data ?? null;
}

export function useSaveWorkingNotes() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ notes, version }: { notes: string; version: number }) =>
      api.put('/state/working-md', { schema: workingStateSchema, body: { notes }, headers: { 'if-match': `"${version}"` } }),
    onSuccess: (state) => queryClient.setQueryData(queryKeys.workingState, state),
  });
}
