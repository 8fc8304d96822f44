import type { Document } from '@mission-control/contracts';
import { isMissionControlError } from '@mission-control/sdk';
import { useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { EmptyState, ErrorState, Skeleton, SkeletonList } from '../../components/states';
import { describeError } from '../../lib/describe-error';
import { formatDateTime } from '../../lib/format';
import { showToast } from '../../lib/toasts';
import { usePageTitle } from '../layout/use-page-title';
import { Markdown } from '../markdown/markdown';
import { usePrincipalDirectory } from '../people/people-api';
import { useDocument, useDocumentVersion, useDocumentVersions, useRestoreDocumentVersion, useUpdateDocument } from './documents-api';
import { ShareDocumentButton } from './share-dialog';
import { type LeavesPage, UnsavedChangesPrompt } from './unsaved-changes-prompt';
import { VersionDiff } from './version-diff';

export default function DocumentPage() {
  const { documentId } = useParams();
  const document = useDocument(documentId);
  usePageTitle(document.data ? document.data.title : 'Document');
  const [parameters, setParameters] = useSearchParams();
  const tab = parameters.get('tab') === 'history' ? 'history' : 'edit';
  if (document.isPending) return <Skeleton className="h-96" />;
  if (document.isError) return <ErrorState error={document.error} what="the document" onRetry={() => void document.refetch()} />;
  const selectTab = (next: 'edit' | 'history') => {
    const search = new URLSearchParams(parameters);
    search.set('tab', next);
    setParameters(search, { replace: true });
  };
  return (
    <div className="flex flex-col gap-4">
      <nav className="font-mono text-xs">
        <Link to="/documents" className="underline">
          Documents
        </Link>{' '}
        / {document.data.title}
      </nav>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-3xl font-black uppercase">{document.data.title}</h1>
        <p className="font-mono text-sm">
          {document.data.type} · version {document.data.version}
          {document.data.taskId ? (
            <>
              {' · '}
              <Link to={`?task=${document.data.taskId}`} className="underline">
                linked task
              </Link>
            </>
          ) : null}
        </p>
        <ShareDocumentButton documentId={document.data.id} title={document.data.title} />
      </div>
      <div role="tablist" aria-label="Document views" className="flex gap-1 border-b-[3px] border-ink">
        {(['edit', 'history'] as const).map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={tab === name}
            className={`border-[3px] border-b-0 border-ink px-3 py-1 font-black uppercase ${tab === name ? 'bg-ink text-paper' : ''}`}
            onClick={() => selectTab(name)}
          >
            {name === 'edit' ? 'Edit' : 'History'}
          </button>
        ))}
      </div>
      {tab === 'edit' ? <DocumentEditor document={document.data} /> : <DocumentHistory document={document.data} />}
    </div>
  );
}

const tabOf = (search: string) => (new URLSearchParams(search).get('tab') === 'history' ? 'history' : 'edit');
// The History tab replaces the editor, so switching to it loses the typing as surely as leaving the page.
const leavesEditor: LeavesPage = (from, to) => from.pathname !== to.pathname || tabOf(from.search) !== tabOf(to.search);

function DocumentEditor({ document }: { document: Document }) {
  const update = useUpdateDocument(document.id);
  const [content, setContent] = useState(document.content);
  const [baseVersion, setBaseVersion] = useState(document.version);
  const [conflict, setConflict] = useState<string | null>(null);
  const dirty = content !== document.content || baseVersion !== document.version;

  // A newer version arriving (an agent saved) replaces the text only when nothing was typed here.
  // biome-ignore lint/correctness/useExhaustiveDependencies: keystrokes (dirty) must not reset the editor; only a new server version may
  useEffect(() => {
    if (!dirty) {
      setContent(document.content);
      setBaseVersion(document.version);
    }
  }, [document.version, document.content]);

  const save = async () => {
    setConflict(null);
    try {
      const saved = await update.mutateAsync({ content, baseVersion });
      setBaseVersion(saved.version);
      showToast(`Saved as version ${saved.version}`, 'success');
    } catch (failure) {
      if (isMissionControlError(failure) && failure.code === 'DOCUMENT_VERSION_CONFLICT') {
        setConflict(`Someone saved version ${document.version} while you were editing. Copy your text, reload the latest, and merge.`);
      } else showToast(describeError(failure), 'error');
    }
  };

  return (
    <div className="flex flex-col gap-3">
      <UnsavedChangesPrompt when={dirty} what="your changes to this document" leaves={leavesEditor} />
      {conflict ? (
        <div role="alert" className="border-[3px] border-ink bg-status-idle p-3 font-bold text-black">
          {conflict}
          <button
            type="button"
            className="brutal-button ml-3"
            onClick={() => {
              setContent(document.content);
              setBaseVersion(document.version);
              setConflict(null);
            }}
          >
            Load latest
          </button>
        </div>
      ) : null}
      <div className="grid grid-cols-1 gap-3 lg:grid-cols-2">
        <div>
          <label className="brutal-label" htmlFor="document-content">
            Markdown
          </label>
          <textarea
            id="document-content"
            className="brutal-input min-h-[28rem] font-mono"
            value={content}
            onChange={(event) => setContent(event.target.value)}
            onKeyDown={(event) => {
              if ((event.metaKey || event.ctrlKey) && event.key === 's') {
                event.preventDefault();
                void save();
              }
            }}
          />
        </div>
        <div>
          <p className="brutal-label">Preview</p>
          <div className="min-h-[28rem] border-[3px] border-ink p-3" data-testid="document-preview">
            {content ? <Markdown>{content}</Markdown> : <p className="font-mono text-sm text-ink-muted">Nothing to preview.</p>}
          </div>
        </div>
      </div>
      <div className="flex items-center justify-end gap-3">
        <span className="font-mono text-xs">{dirty ? 'Unsaved changes' : 'Saved'}</span>
        <button
          type="button"
          className="brutal-button"
          data-variant="primary"
          disabled={!dirty || update.isPending}
          onClick={() => void save()}
        >
          {update.isPending ? 'Saving…' : 'Save new version'}
        </button>
      </div>
    </div>
  );
}

function DocumentHistory({ document }: { document: Document }) {
  const versions = useDocumentVersions(document.id);
  const directory = usePrincipalDirectory();
  const restore = useRestoreDocumentVersion(document.id);
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  const list = versions.data?.data ?? [];
  const fromVersion = from ?? list[1]?.version ?? null;
  const toVersion = to ?? list[0]?.version ?? null;
  const before = useDocumentVersion(document.id, fromVersion);
  const after = useDocumentVersion(document.id, toVersion);

  if (versions.isPending) return <SkeletonList rows={4} />;
  if (versions.isError) return <ErrorState error={versions.error} what="versions" onRetry={() => void versions.refetch()} />;
  if (list.length === 0) return <EmptyState title="No versions" />;

  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-[20rem_1fr]">
      <ol className="flex flex-col gap-2" aria-label="Versions">
        {list.map((version) => (
          <li key={version.version} className="border-2 border-ink p-2">
            <p className="font-black">Version {version.version}</p>
            <p className="font-mono text-xs">
              {directory.nameOf(version.author)} · {formatDateTime(version.createdAt)}
            </p>
            <div className="mt-1 flex flex-wrap gap-2">
              <button
                type="button"
                className="brutal-button"
                aria-pressed={fromVersion === version.version}
                onClick={() => setFrom(version.version)}
              >
                From
              </button>
              <button
                type="button"
                className="brutal-button"
                aria-pressed={toVersion === version.version}
                onClick={() => setTo(version.version)}
              >
                To
              </button>
              {version.version !== document.version ? (
                <button
                  type="button"
                  className="brutal-button"
                  disabled={restore.isPending}
                  onClick={() =>
                    restore.mutate(
                      { version: version.version, baseVersion: document.version },
                      {
                        onSuccess: (restored) => showToast(`Version ${version.version} restored as version ${restored.version}`, 'success'),
                        onError: (failure) => showToast(describeError(failure), 'error'),
                      },
                    )
                  }
                >
                  Restore
                </button>
              ) : null}
            </div>
          </li>
        ))}
      </ol>
      <div className="flex flex-col gap-3">
        <div className="flex flex-wrap gap-3">
          <label className="flex items-center gap-2 font-mono text-sm">
            From
            <select
              className="brutal-input w-28"
              value={fromVersion ?? ''}
              onChange={(event) => setFrom(Number(event.target.value))}
              aria-label="Compare from version"
            >
              {list.map((version) => (
                <option key={version.version} value={version.version}>
                  v{version.version}
                </option>
              ))}
            </select>
          </label>
          <label className="flex items-center gap-2 font-mono text-sm">
            To
            <select
              className="brutal-input w-28"
              value={toVersion ?? ''}
              onChange={(event) => setTo(Number(event.target.value))}
              aria-label="Compare to version"
            >
              {list.map((version) => (
                <option key={version.version} value={version.version}>
                  v{version.version}
                </option>
              ))}
            </select>
          </label>
        </div>
        {fromVersion === null || toVersion === null ? (
          <EmptyState title="Only one version">Save a change to compare versions.</EmptyState>
        ) : before.isPending || after.isPending ? (
          <Skeleton className="h-64" />
        ) : before.data && after.data ? (
          <VersionDiff
            before={before.data.content}
            after={after.data.content}
            beforeLabel={`v${fromVersion}`}
            afterLabel={`v${toVersion}`}
          />
        ) : (
          <ErrorState error={before.error ?? after.error} what="the versions" />
        )}
      </div>
    </div>
  );
}
