import type { Message, PrincipalReference } from '@mission-control/contracts';
import { useState } from 'react';
import { describeError } from '../../lib/describe-error';
import { useSession } from '../auth/use-session';
import { usePrincipalDirectory } from '../people/people-api';
import { useToggleReaction } from './messages-api';

/** The few emoji people reach for most; any other can still be sent through the API. */
export const commonEmoji = ['👍', '🎉', '❤️', '👀', '✅', '🚀'] as const;

function isSame(left: PrincipalReference, right: PrincipalReference | null): boolean {
  return right !== null && left.kind === right.kind && left.id === right.id;
}

/** Reaction chips under a message (press one to add or take back yours) and a small picker. */
export function MessageReactions({ taskId, message }: { taskId: string; message: Message }) {
  const session = useSession();
  const directory = usePrincipalDirectory();
  const toggle = useToggleReaction(taskId);
  const [picking, setPicking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const me: PrincipalReference | null = session ? { kind: 'user', id: session.user.id } : null;
  const canReact = session?.role !== 'viewer';

  const react = (emoji: string) => {
    const mine = message.reactions.some((reaction) => reaction.emoji === emoji && reaction.by.some((person) => isSame(person, me)));
    setError(null);
    setPicking(false);
    toggle.mutate({ messageId: message.id, emoji, mine }, { onError: (failure) => setError(`Could not react: ${describeError(failure)}`) });
  };

  if (message.reactions.length === 0 && !canReact) return null;
  return (
    <div className="mt-1 flex flex-wrap items-center gap-1 font-mono text-xs">
      {message.reactions.map((reaction) => {
        const mine = reaction.by.some((person) => isSame(person, me));
        const who = reaction.by.map((person) => directory.nameOf(person)).join(', ');
        const label = `${reaction.emoji} ${reaction.count}, from ${who}`;
        return canReact ? (
          <button
            key={reaction.emoji}
            type="button"
            className={`border-2 border-ink px-1 ${mine ? 'bg-ink text-paper' : ''}`}
            aria-pressed={mine}
            aria-label={mine ? `${label}. Press to take yours back` : `${label}. Press to add yours`}
            title={who}
            disabled={toggle.isPending}
            onClick={() => react(reaction.emoji)}
          >
            {reaction.emoji} {reaction.count}
          </button>
        ) : (
          <span key={reaction.emoji} className="border-2 border-ink px-1" title={who}>
            {reaction.emoji} {reaction.count}
            <span className="sr-only">, from {who}</span>
          </span>
        );
      })}
      {canReact ? (
        <button type="button" className="px-1 font-bold underline" aria-expanded={picking} onClick={() => setPicking(!picking)}>
          {picking ? 'Close' : 'React'}
        </button>
      ) : null}
      {picking ? (
        <fieldset className="flex flex-wrap gap-1">
          <legend className="sr-only">Pick a reaction</legend>
          {commonEmoji.map((emoji) => (
            <button
              key={emoji}
              type="button"
              className="border-2 border-ink px-1"
              aria-label={`React with ${emoji}`}
              disabled={toggle.isPending}
              onClick={() => react(emoji)}
            >
              {emoji}
            </button>
          ))}
        </fieldset>
      ) : null}
      {error ? (
        <p role="alert" className="w-full font-bold text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
}
