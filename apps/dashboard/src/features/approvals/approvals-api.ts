import type { ApprovalStatus } from '@mission-control/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../lib/query-keys';
import { useClient } from '../../lib/services-context';
import { useRealtimeTopic } from '../realtime/realtime-provider';

export function useApprovals(status: ApprovalStatus | 'all') {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.approvalList(status),
    queryFn: () => client.approvals.list(status === 'all' ? {} : { status }),
  });
}

/** Keeps every approvals list fresh: a gate opening or being decided anywhere refetches them. */
export function useLiveApprovals() {
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: queryKeys.approvals });
  useRealtimeTopic('type:approval-requested', refresh);
  useRealtimeTopic('type:approval-decided', refresh);
}

export function useDecideApproval() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ approvalId, decision, comment }: { approvalId: string; decision: 'approve' | 'reject'; comment: string }) =>
      decision === 'approve'
        ? client.approvals.approve(approvalId, comment.trim() || undefined)
        : client.approvals.reject(approvalId, comment.trim() || undefined),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.approvals });
      void queryClient.invalidateQueries({ queryKey: queryKeys.workflowRuns });
    },
  });
}
