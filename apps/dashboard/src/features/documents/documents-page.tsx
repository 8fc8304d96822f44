import { type DocumentType, documentTypeSchema } from '@mission-control/contracts';
import { type FormEvent, useDeferredValue, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Dialog } from '../../components/dialog';
import { FilterInput, FilterSelect } from '../../components/filter-fields';
import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { describeError } from '../../lib/describe-error';
import { formatDateTime } from '../../lib/format';
import { useUrlFilters } from '../../lib/use-url-filters';
import { usePageTitle } from '../layout/use-page-title';
import { usePrincipalDirectory } from '../people/people-api';
import { useCreateDocument, useDocuments, useDocumentTemplates } from './documents-api';

export default function DocumentsPage() {
  usePageTitle('Documents');
  const { parameters, setFilter } = useUrlFilters();
  const q = parameters.get('q') ?? '';
  const type = documentTypeSchema.safeParse(parameters.get('type')).data;
  const taskId = parameters.get('taskId') ?? '';
  const deferredQuery = useDeferredValue(q);
  const documents = useDocuments({ q: deferredQuery || undefined, type, taskId: taskId || undefined });
  const directory = usePrincipalDirectory();

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-3xl font-black uppercase">Documents</h1>
        <NewDocumentButton />
      </div>
      <form
        aria-label="Filters"
        className="grid grid-cols-1 gap-3 border-[3px] border-ink p-3 sm:grid-cols-3"
        onSubmit={(event) => event.preventDefault()}
      >
        <FilterInput
          id="document-search"
          label="Search"
          value={q}
          placeholder="title or text"
          onChange={(value) => setFilter('q', value)}
        />
        <FilterSelect
          id="document-type"
          label="Type"
          value={type ?? ''}
          anyLabel="All types"
          options={documentTypeSchema.options.map((option) => ({ value: option, label: option }))}
          onChange={(value) => setFilter('type', value)}
        />
        <FilterInput
          id="document-task"
          label="Task"
          value={taskId}
          placeholder="TASK-7"
          onChange={(value) => setFilter('taskId', value.trim())}
        />
      </form>
      {documents.isPending ? <SkeletonList rows={5} /> : null}
      {documents.isError ? <ErrorState error={documents.error} what="documents" onRetry={() => void documents.refetch()} /> : null}
      {documents.data?.data.length === 0 ? (
        <EmptyState title="No documents">Agents write deliverables, research and protocols here.</EmptyState>
      ) : null}
      <ul className="grid grid-cols-1 gap-3 md:grid-cols-2 xl:grid-cols-3">
        {documents.data?.data.map((document) => (
          <li key={document.id} className="border-[3px] border-ink p-3 shadow-[var(--shadow-hard-small)]">
            <Link to={`/documents/${document.id}`} className="text-lg font-black hover:underline">
              {document.title}
            </Link>
            <p className="mt-1 flex flex-wrap gap-2 font-mono text-xs uppercase">
              <span className="border border-ink px-1">{document.type}</span>
              <span>v{document.version}</span>
              <span>{directory.nameOf(document.author)}</span>
              <span>{formatDateTime(document.updatedAt)}</span>
            </p>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function NewDocumentButton() {
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState('');
  const [type, setType] = useState<DocumentType>('deliverable');
  const [taskId, setTaskId] = useState('');
  const [templateId, setTemplateId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const create = useCreateDocument();
  const templates = useDocumentTemplates(open);
  const template = templates.data?.data.find((candidate) => candidate.id === templateId);
  const navigate = useNavigate();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!title.trim()) {
      setError('A document needs a title.');
      return;
    }
    try {
      const document = await create.mutateAsync({
        title: title.trim(),
        // A template brings its own type and content.
        ...(template ? { templateId: template.id } : { type, content: '' }),
        ...(taskId.trim() ? { taskId: taskId.trim() } : {}),
      });
      setOpen(false);
      navigate(`/documents/${document.id}`);
    } catch (failure) {
      setError(describeError(failure));
    }
  };
  return (
    <>
      <button type="button" className="brutal-button" data-variant="primary" onClick={() => setOpen(true)}>
        + New document
      </button>
      <Dialog open={open} onOpenChange={setOpen} title="New document">
        <form onSubmit={submit} className="flex flex-col gap-3" noValidate>
          <div>
            <label className="brutal-label" htmlFor="new-document-title">
              Title
            </label>
            <input
              id="new-document-title"
              className="brutal-input"
              value={title}
              onChange={(event) => setTitle(event.target.value)}
              aria-invalid={Boolean(error)}
            />
          </div>
          <div>
            <label className="brutal-label" htmlFor="new-document-template">
              Start from
            </label>
            <select
              id="new-document-template"
              className="brutal-input"
              value={templateId}
              onChange={(event) => setTemplateId(event.target.value)}
              aria-describedby="new-document-template-help"
            >
              <option value="">A blank page</option>
              {templates.data?.data.map((candidate) => (
                <option key={candidate.id} value={candidate.id}>
                  {candidate.name}
                  {candidate.builtIn ? '' : ' (this workspace)'}
                </option>
              ))}
            </select>
            <p id="new-document-template-help" className="mt-1 text-xs text-ink-muted">
              {templates.isError
                ? 'Templates could not be loaded; you can still start from a blank page.'
                : template
                  ? `${template.description || 'A template'} It makes a ${template.type}.`
                  : 'Pick a template to start with its headings filled in.'}
            </p>
          </div>
          <div>
            <label className="brutal-label" htmlFor="new-document-type">
              Type
            </label>
            <select
              id="new-document-type"
              className="brutal-input"
              value={template ? template.type : type}
              disabled={Boolean(template)}
              onChange={(event) => setType(documentTypeSchema.parse(event.target.value))}
            >
              {documentTypeSchema.options.map((option) => (
                <option key={option} value={option}>
                  {option}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label className="brutal-label" htmlFor="new-document-task">
              Linked task (optional)
            </label>
            <input
              id="new-document-task"
              className="brutal-input"
              value={taskId}
              onChange={(event) => setTaskId(event.target.value)}
              placeholder="TASK-7"
            />
          </div>
          {error ? (
            <p role="alert" className="font-mono text-xs font-bold text-danger">
              {error}
            </p>
          ) : null}
          <div className="flex justify-end">
            <button type="submit" className="brutal-button" data-variant="primary" disabled={create.isPending}>
              Create
            </button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
