import { type AuditAction, endpoints } from '@mission-control/contracts';
import { useQuery } from '@tanstack/react-query';
import { queryKeys } from '../../lib/query-keys';
import { useClient } from '../../lib/services-context';

/** The newest 100 audit entries, of one action when given (owners and admins only: others get 403). */
export function useAuditLog(action: AuditAction | undefined) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.auditLog(action),
    queryFn: ({ signal }) => client.request(endpoints.listAuditLog, { query: { limit: 100, ...(action ? { action } : {}) }, signal }),
  });
}
