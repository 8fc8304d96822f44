import { useEffect, useState } from 'react';
import { ErrorState, Skeleton } from '../../components/states';
import { describeError } from '../../lib/describe-error';
import { formatDateTime, relativeTime } from '../../lib/format';
import { showToast } from '../../lib/toasts';
import { useNow } from '../../lib/use-now';
import { usePageTitle } from '../layout/use-page-title';
import { Markdown } from '../markdown/markdown';
import { usePrincipalDirectory } from '../people/people-api';
import { conflictOf, type NotesConflict, useSaveWorkingNotes, useWorkingState } from './working-state-api';
import { WorkingStateHistory } from './working-state-history';

/** Conflict markers people already know from git, so a merge by hand needs no explanation. */
export function mergeDraft(mine: string, conflict: NotesConflict): string {
  if (mine === conflict.currentNotes) return mine;
  return `<<<<<<< your edit\n${mine}\n=======\n${conflict.currentNotes}\n>>>>>>> version ${conflict.currentVersion}\n`;
}

/**
 * The server's file tells its readers elsewhere (the API, the CLI, the file on disk) where notes are
 * edited; beside the editor that line is noise, so the page says it in terms of the editor instead.
 */
export function describeForEditor(markdown: string): string {
  return markdown.replace(
    /_No notes yet\. Edit them on the WORKING\.md page of the dashboard or with `mission working edit`\._/g,
    '_No notes yet. Write them in the Notes editor on this page._',
  );
}

export default function WorkingStatePage() {
  usePageTitle('WORKING.md');
  const state = useWorkingState();
  const save = useSaveWorkingNotes();
  const directory = usePrincipalDirectory();
  const now = useNow();
  const [draft, setDraft] = useState<string | null>(null);
  const [baseVersion, setBaseVersion] = useState<number | null>(null);
  const [conflict, setConflict] = useState<NotesConflict | null>(null);
  const [mine, setMine] = useState('');

  useEffect(() => {
    if (state.data && draft === null) {
      setDraft(state.data.notes);
      setBaseVersion(state.data.version);
    }
  }, [state.data, draft]);

  if (state.isPending) return <Skeleton className="h-96" />;
  if (state.isError) return <ErrorState error={state.error} what="WORKING.md" onRetry={() => void state.refetch()} />;

  const submit = async () => {
    if (draft === null || baseVersion === null) return;
    try {
      const saved = await save.mutateAsync({ notes: draft, version: baseVersion });
      setBaseVersion(saved.version);
      setDraft(saved.notes);
      setConflict(null);
      showToast(`Notes saved (version ${saved.version})`, 'success');
    } catch (failure) {
      const found = conflictOf(failure);
      if (found) {
        // Keep both: the edit made here and what was saved meanwhile; the next save goes on top of theirs.
        setMine(draft);
        setConflict(found);
        setDraft(mergeDraft(draft, found));
        setBaseVersion(found.currentVersion);
      } else showToast(describeError(failure), 'error');
    }
  };

  return (
    <div className="grid grid-cols-1 gap-5 xl:grid-cols-2">
      <section aria-labelledby="working-rendered" className="min-w-0">
        <h1 id="working-rendered" className="mb-2 text-3xl font-black uppercase">
          WORKING.md
        </h1>
        <p className="mb-2 font-mono text-xs">
          Notes version {state.data.version}
          {state.data.updatedAt ? (
            <>
              {' · '}
              <time dateTime={state.data.updatedAt} title={formatDateTime(state.data.updatedAt)}>
                {relativeTime(state.data.updatedAt, now)}
              </time>{' '}
              by {directory.nameOf(state.data.updatedBy)}
            </>
          ) : null}{' '}
          · live
        </p>
        <div className="border-[3px] border-ink p-3" data-testid="working-rendered">
          <Markdown>{describeForEditor(state.data.markdown)}</Markdown>
        </div>
      </section>
      <section aria-labelledby="working-notes" className="flex min-w-0 flex-col gap-3">
        <h2 id="working-notes" className="text-xl font-black uppercase">
          Notes
        </h2>
        {conflict ? (
          <div role="alert" className="border-[3px] border-ink bg-status-idle p-3 text-black">
            <p className="font-black">Someone saved version {conflict.currentVersion} while you were editing.</p>
            <p className="text-sm">
              Both texts are below and in the editor between conflict markers. Merge them, then save on top of version{' '}
              {conflict.currentVersion}.
            </p>
            <div className="mt-2 grid grid-cols-1 gap-2 md:grid-cols-2">
              <div>
                <p className="brutal-label">Your edit</p>
                <pre className="max-h-48 overflow-auto border-2 border-black bg-white p-2 font-mono text-xs whitespace-pre-wrap">
                  {mine}
                </pre>
              </div>
              <div>
                <p className="brutal-label">Version {conflict.currentVersion}</p>
                <pre className="max-h-48 overflow-auto border-2 border-black bg-white p-2 font-mono text-xs whitespace-pre-wrap">
                  {conflict.currentNotes}
                </pre>
              </div>
            </div>
            <div className="mt-2 flex gap-2">
              <button type="button" className="brutal-button" onClick={() => setDraft(mine)}>
                Keep mine
              </button>
              <button type="button" className="brutal-button" onClick={() => setDraft(conflict.currentNotes)}>
                Take theirs
              </button>
            </div>
          </div>
        ) : null}
        <label className="brutal-label" htmlFor="working-notes-editor">
          Notes (markdown) — editing on top of version {baseVersion}
        </label>
        <textarea
          id="working-notes-editor"
          className="brutal-input min-h-80 font-mono"
          value={draft ?? ''}
          onChange={(event) => setDraft(event.target.value)}
        />
        <div className="flex justify-end gap-2">
          <button
            type="button"
            className="brutal-button"
            onClick={() => {
              setDraft(state.data.notes);
              setBaseVersion(state.data.version);
              setConflict(null);
            }}
          >
            Discard
          </button>
          <button type="button" className="brutal-button" data-variant="primary" disabled={save.isPending} onClick={() => void submit()}>
            Save notes
          </button>
        </div>
        <h2 id="working-history" className="mt-4 text-xl font-black uppercase">
          History
        </h2>
        <section aria-labelledby="working-history">
          <WorkingStateHistory
            current={state.data}
            unsavedEdit={draft !== null && draft !== state.data.notes}
            onRestored={(restored) => {
              setDraft(restored.notes);
              setBaseVersion(restored.version);
              setConflict(null);
            }}
          />
        </section>
      </section>
    </div>
  );
}
