import { type CreateSkillInput, endpoints, type UpdateSkillInput } from '@mission-control/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../lib/query-keys';
import { useClient } from '../../lib/services-context';

export function useSkills(filters: { q?: string | undefined; capability?: string | undefined }) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.skillList(filters),
    queryFn: ({ signal }) => client.request(endpoints.listSkills, { query: { limit: 100, ...filters }, signal }),
    placeholderData: (previous) => previous,
  });
}

export function useSkill(id: string | undefined) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.skill(id ?? ''),
    queryFn: ({ signal }) => client.request(endpoints.getSkill, { params: { id: id ?? '' }, signal }),
    enabled: Boolean(id),
  });
}

export function useSkillVersions(id: string | undefined) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.skillVersions(id ?? ''),
    queryFn: ({ signal }) => client.request(endpoints.listSkillVersions, { params: { id: id ?? '' }, query: { limit: 200 }, signal }),
    enabled: Boolean(id),
  });
}

export function useAgentSkills(agentId: string) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.agentSkills(agentId),
    queryFn: ({ signal }) => client.request(endpoints.listAgentSkills, { params: { id: agentId }, signal }),
  });
}

export function useCreateSkill() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateSkillInput) => client.request(endpoints.createSkill, { body: input }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.skills }),
  });
}

export function useUpdateSkill(id: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateSkillInput) => client.request(endpoints.updateSkill, { params: { id }, body: input }),
    onSuccess: (skill) => {
      queryClient.setQueryData(queryKeys.skill(id), skill);
      void queryClient.invalidateQueries({ queryKey: queryKeys.skills });
    },
  });
}

export function useDeleteSkill(id: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => client.request(endpoints.deleteSkill, { params: { id } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.skills }),
  });
}

/** "3 of 4 done": a skill's record in words. */
export function describeUsage(usage: { uses: number; succeeded: number; failed: number }): string {
  if (usage.uses === 0) return 'not used yet';
  const failed = usage.failed > 0 ? `, ${usage.failed} failed` : '';
  return `used for ${usage.uses} task${usage.uses === 1 ? '' : 's'}: ${usage.succeeded} done${failed}`;
}
