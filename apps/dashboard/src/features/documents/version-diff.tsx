import { diffLines } from 'diff';
import { useMemo } from 'react';

/** A line diff between two texts: removed lines struck on red, added lines on green, with +/- for those who cannot see color. */
export function VersionDiff({
  before,
  after,
  beforeLabel,
  afterLabel,
}: {
  before: string;
  after: string;
  beforeLabel: string;
  afterLabel: string;
}) {
  const parts = useMemo(() => diffLines(before, after), [before, after]);
  const added = parts.filter((part) => part.added).reduce((sum, part) => sum + (part.count ?? 0), 0);
  const removed = parts.filter((part) => part.removed).reduce((sum, part) => sum + (part.count ?? 0), 0);
  return (
    <figure className="border-[3px] border-ink" data-testid="version-diff">
      <figcaption className="flex flex-wrap justify-between gap-2 border-b-[3px] border-ink bg-ink px-2 py-1 font-mono text-xs font-bold text-paper">
        <span>
          {beforeLabel} → {afterLabel}
        </span>
        <span>
          +{added} −{removed}
        </span>
      </figcaption>
      <pre className="overflow-x-auto font-mono text-sm leading-relaxed">
        {parts.map((part, index) => {
          const lines = part.value.replace(/\n$/, '').split('\n');
          const kind = part.added ? 'added' : part.removed ? 'removed' : 'same';
          return lines.map((line, lineIndex) => (
            <div
              // biome-ignore lint/suspicious/noArrayIndexKey: diff lines have no identity beyond their position
              key={`${index}-${lineIndex}`}
              data-diff={kind}
              className={kind === 'added' ? 'bg-status-active/40' : kind === 'removed' ? 'bg-status-blocked/40 line-through' : ''}
            >
              <span aria-hidden="true" className="inline-block w-6 text-center font-black select-none">
                {kind === 'added' ? '+' : kind === 'removed' ? '−' : ' '}
              </span>
              <span className="sr-only">{kind === 'added' ? 'added: ' : kind === 'removed' ? 'removed: ' : ''}</span>
              {line || ' '}
            </div>
          ));
        })}
      </pre>
    </figure>
  );
}
