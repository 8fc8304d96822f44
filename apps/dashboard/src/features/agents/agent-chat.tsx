import { useState } from 'react';
import { ErrorState, SkeletonList } from '../../components/states';
import { describeError } from '../../lib/describe-error';
import { showToast } from '../../lib/toasts';
import { useChatHistory, useSendChatMessage } from './agent-runtime-api';

/** A direct conversation with a built-in agent; the answer appears as the model writes it. */
export function AgentChat({ agentId, agentName }: { agentId: string; agentName: string }) {
  const history = useChatHistory(agentId);
  const send = useSendChatMessage(agentId);
  const [draft, setDraft] = useState('');
  const [pending, setPending] = useState<{ question: string; answer: string } | null>(null);

  const submit = () => {
    const content = draft.trim();
    if (!content || send.isPending) return;
    setDraft('');
    setPending({ question: content, answer: '' });
    send.mutate(
      { content, onDelta: (text) => setPending((current) => (current ? { ...current, answer: current.answer + text } : current)) },
      {
        onSettled: () => setPending(null),
        onError: (error) => showToast(describeError(error), 'error'),
      },
    );
  };

  return (
    <section className="flex flex-col gap-3 border-[3px] border-ink p-3" aria-label="Chat">
      <h2 className="text-xl font-black uppercase">Chat with {agentName}</h2>
      {history.isPending ? <SkeletonList rows={2} className="h-10" /> : null}
      {history.isError ? <ErrorState error={history.error} what="the conversation" /> : null}
      <ol className="flex max-h-96 flex-col gap-2 overflow-y-auto" aria-live="polite">
        {history.data?.data.map((message) => (
          <ChatBubble key={message.id} speaker={message.role} content={message.content} name={agentName} />
        ))}
        {pending ? (
          <>
            <ChatBubble speaker="user" content={pending.question} name={agentName} />
            <ChatBubble speaker="assistant" content={pending.answer || '…'} name={agentName} />
          </>
        ) : null}
      </ol>
      <form
        className="flex gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <label className="sr-only" htmlFor="chat-input">
          Message
        </label>
        <textarea
          id="chat-input"
          className="brutal-input min-h-[3rem] flex-1"
          value={draft}
          placeholder={`Ask ${agentName} something…`}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey) {
              event.preventDefault();
              submit();
            }
          }}
        />
        <button type="submit" className="brutal-button" data-variant="primary" disabled={send.isPending || !draft.trim()}>
          Send
        </button>
      </form>
    </section>
  );
}

function ChatBubble({ speaker, content, name }: { speaker: 'user' | 'assistant'; content: string; name: string }) {
  return (
    <li className={`border-2 border-ink p-2 ${speaker === 'user' ? 'ml-8 bg-paper-alt' : 'mr-8'}`}>
      <p className="brutal-label">{speaker === 'user' ? 'You' : name}</p>
      <p className="whitespace-pre-wrap break-words text-sm">{content}</p>
    </li>
  );
}
