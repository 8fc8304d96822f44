import { type CreateBudgetInput, endpoints, type UpdateBudgetInput } from '@mission-control/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useClient } from '../../lib/services-context';

const budgetsKey = ['budgets'] as const;

/** Dollars typed by a person ("12.50") in millionths of a dollar; null for an empty or unreadable field. */
export function parseDollars(text: string): number | null {
  const value = Number(text.trim().replace(/^\$/, ''));
  if (!text.trim() || !Number.isFinite(value) || value <= 0) return null;
  return Math.round(value * 1_000_000);
}

export function useBudgets() {
  const client = useClient();
  return useQuery({ queryKey: budgetsKey, queryFn: ({ signal }) => client.request(endpoints.listBudgets, { signal }) });
}

function useBudgetChange<Input>(run: (input: Input) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: budgetsKey });
      void queryClient.invalidateQueries({ queryKey: ['analytics', 'costs'] });
    },
  });
}

export function useCreateBudget() {
  const client = useClient();
  return useBudgetChange((input: Partial<CreateBudgetInput>) => client.request(endpoints.createBudget, { body: input }));
}

export function useUpdateBudget() {
  const client = useClient();
  return useBudgetChange(({ id, ...input }: UpdateBudgetInput & { id: string }) =>
    client.request(endpoints.updateBudget, { params: { id }, body: input }),
  );
}

export function useDeleteBudget() {
  const client = useClient();
  return useBudgetChange((id: string) => client.request(endpoints.deleteBudget, { params: { id } }));
}
