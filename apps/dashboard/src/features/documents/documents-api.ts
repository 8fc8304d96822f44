import { type CreateDocumentInput, type CreateDocumentShareInput, endpoints, type UpdateDocumentInput } from '@mission-control/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type DocumentFilters, queryKeys } from '../../lib/query-keys';
import { useClient } from '../../lib/services-context';

export function useDocuments(filters: DocumentFilters) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.documentList(filters),
    queryFn: ({ signal }) => client.request(endpoints.listDocuments, { query: { limit: 200, ...filters }, signal }),
    placeholderData: (previous) => previous,
  });
}

export function useDocument(id: string | undefined) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.document(id ?? ''),
    queryFn: ({ signal }) => client.request(endpoints.getDocument, { params: { id: id ?? '' }, signal }),
    enabled: Boolean(id),
  });
}

export function useDocumentVersions(id: string | undefined) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.documentVersions(id ?? ''),
    queryFn: ({ signal }) => client.request(endpoints.listDocumentVersions, { params: { id: id ?? '' }, query: { limit: 200 }, signal }),
    enabled: Boolean(id),
  });
}

export function useDocumentVersion(id: string | undefined, version: number | null) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.documentVersion(id ?? '', version ?? 0),
    queryFn: ({ signal }) => client.request(endpoints.getDocumentVersion, { params: { id: id ?? '', version: version ?? 0 }, signal }),
    enabled: Boolean(id) && version !== null,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useCreateDocument() {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: Partial<CreateDocumentInput> & { title: string }) => client.request(endpoints.createDocument, { body: input }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.documents }),
  });
}

export function useUpdateDocument(id: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateDocumentInput) => client.request(endpoints.updateDocument, { params: { id }, body: input }),
    onSuccess: (document) => {
      queryClient.setQueryData(queryKeys.document(id), document);
      void queryClient.invalidateQueries({ queryKey: queryKeys.documents });
    },
  });
}

export function useRestoreDocumentVersion(id: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ version, baseVersion }: { version: number; baseVersion?: number }) =>
      client.request(endpoints.restoreDocumentVersion, { params: { id, version }, body: baseVersion ? { baseVersion } : {} }),
    onSuccess: (document) => {
      queryClient.setQueryData(queryKeys.document(id), document);
      void queryClient.invalidateQueries({ queryKey: queryKeys.documents });
    },
  });
}

/** The workspace's document templates and the built-in ones, fetched when the new-document dialog opens. */
export function useDocumentTemplates(enabled: boolean) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.documentTemplates,
    queryFn: ({ signal }) => client.request(endpoints.listDocumentTemplates, { signal }),
    enabled,
    staleTime: 60_000,
  });
}

export function useDocumentShares(id: string, enabled: boolean) {
  const client = useClient();
  return useQuery({
    queryKey: queryKeys.documentShares(id),
    queryFn: ({ signal }) => client.request(endpoints.listDocumentShares, { params: { id }, signal }),
    enabled,
  });
}

export function useCreateDocumentShare(id: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateDocumentShareInput) => client.request(endpoints.createDocumentShare, { params: { id }, body: input }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.documentShares(id) }),
  });
}

export function useRevokeDocumentShare(id: string) {
  const client = useClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (shareId: string) => client.request(endpoints.revokeDocumentShare, { params: { id, shareId } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.documentShares(id) }),
  });
}
