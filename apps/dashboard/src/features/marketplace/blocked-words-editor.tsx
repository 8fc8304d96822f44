import { type FormEvent, useEffect, useId, useState } from 'react';
import { FieldError } from '../../components/field-error';
import { ErrorState, Skeleton } from '../../components/states';
import { plural } from '../../lib/format';
import { showToast } from '../../lib/toasts';
import { useBlockedWords, useSetBlockedWords } from './marketplace-api';
import { describeMarketplaceFailure, plainLoadError } from './marketplace-wording';

/** The words typed one a line (or with commas), lower case, each once. */
export function parseWords(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\n,]/)
        .map((word) => word.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
}

/** The moderation word list: a review holding one of these words waits for a moderator before it counts. */
export function BlockedWordsEditor() {
  const id = useId();
  const words = useBlockedWords(true);
  const save = useSetBlockedWords();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    if (words.data) setText(words.data.join('\n'));
  }, [words.data]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const list = parseWords(text);
    const short = list.find((word) => word.length < 2);
    const long = list.find((word) => word.length > 60);
    if (short) return setError(`“${short}” is too short: a word needs at least 2 letters.`);
    if (long) return setError(`“${long.slice(0, 20)}…” is too long: at most 60 characters.`);
    if (list.length > 500) return setError(`At most 500 words; this list has ${list.length.toLocaleString()}.`);
    setError(undefined);
    try {
      const saved = await save.mutateAsync(list);
      showToast(
        saved.length === 0 ? 'The word list is empty: no review waits for its words.' : `Saved ${plural(saved.length, 'word')}.`,
        'success',
      );
    } catch (failure) {
      setError(describeMarketplaceFailure(failure, 'moderate'));
    }
  };

  return (
    <section className="flex min-w-0 flex-col gap-2 border-[3px] border-ink p-3" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="text-xl font-black uppercase">
        Word list
      </h2>
      <p className="text-sm">
        A review posted with one of these words waits here for a moderator before it counts. Changes apply to reviews posted from now on.
      </p>
      {words.isPending ? <Skeleton className="h-24" label="Loading the word list" /> : null}
      {words.isError ? <ErrorState error={plainLoadError(words.error)} what="the word list" onRetry={() => void words.refetch()} /> : null}
      {words.data ? (
        <form onSubmit={submit} noValidate className="flex min-w-0 flex-col gap-2" aria-label="Word list">
          <label className="brutal-label" htmlFor={`${id}-words`}>
            Words, one a line
          </label>
          <textarea
            id={`${id}-words`}
            rows={6}
            className="brutal-input"
            value={text}
            aria-invalid={Boolean(error)}
            aria-describedby={error ? `${id}-words-error` : undefined}
            onChange={(event) => setText(event.target.value)}
          />
          <FieldError id={`${id}-words-error`} message={error} />
          <p className="text-xs">{plural(parseWords(text).length, 'word')} in the list.</p>
          <button type="submit" className="brutal-button self-start" data-variant="primary" disabled={save.isPending}>
            Save word list
          </button>
        </form>
      ) : null}
    </section>
  );
}
