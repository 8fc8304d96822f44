import {
  type CreateDocumentInput,
  documentSchema,
  documentSummarySchema,
  documentVersionSchema,
  documentVersionSummarySchema,
  pageSchema,
  type UpdateDocumentInput,
} from '@mission-control/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type DocumentFilters, queryKeys } from '../../lib/query-keys';
import { useApi } from '../../lib/services-context';

export function useDocuments(filters: DocumentFilters) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.documentList(filters),
    queryFn: ({ signal }) =>
      api.get('/documents', { schema: pageSchema(documentSummarySchema), query: { limit: 200, ...filters }, signal }),
    placeholderData: (previous) => previous,
  });
}

export function useDocument(id: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.document(id ?? ''),
    queryFn: ({ signal }) => api.get(`/documents/${id}`, { schema: documentSchema, signal }),
    enabled: Boolean(id),
  });
}

export function useDocumentVersions(id: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.documentVersions(id ?? ''),
    queryFn: ({ signal }) =>
      api.get(`/documents/${id}/versions`, { schema: pageSchema(documentVersionSummarySchema), query: { limit: 200 }, signal }),
    enabled: Boolean(id),
  });
}

export function useDocumentVersion(id: string | undefined, version: number | null) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.documentVersion(id ?? '', version ?? 0),
    queryFn: ({ signal }) => api.get(`/documents/${id}/versions/${version}`, { schema: documentVersionSchema, signal }),
    enabled: Boolean(id) && version !== null,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useCreateDocument() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: Partial<CreateDocumentInput> & { title: string }) =>
      api.post('/documents', { schema: documentSchema, body: input }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.documents }),
  });
}

export function useUpdateDocument(id: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateDocumentInput) => api.patch(`/documents/${id}`, { schema: documentSchema, body: input }),
    onSuccess: (document) => {
      queryClient.setQueryData(queryKeys.document(id), document);
      void queryClient.invalidateQueries({ queryKey: queryKeys.documents });
    },
  });
}

export function useRestoreDocumentVersion(id: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ version, baseVersion }: { version: number; baseVersion?: number }) =>
      api.post(`/documents/${id}/versions/${version}/restore`, { schema: documentSchema, body: baseVersion ? { baseVersion } : {} }),
    onSuccess: (document) => {
      queryClient.setQueryData(queryKeys.document(id), document);
      void queryClient.invalidateQueries({ queryKey: queryKeys.documents });
    },
  });
}
