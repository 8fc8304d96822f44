import {
  type InboundHook,
  type InboundHookAction,
  type InboundHookWithSecret,
  inboundHookActionSchema,
  inboundHookTemplateSchema,
} from '@mission-control/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ErrorState, SkeletonList } from '../../components/states';
import { describeError } from '../../lib/describe-error';
import { relativeTime } from '../../lib/format';
import { useClient } from '../../lib/services-context';
import { useNow } from '../../lib/use-now';
import { ActionButton } from './action-button';
import { integrationKeys, useInboundHookCalls, useInboundHooks } from './integrations-api';
import { SecretReveal } from './secret-reveal';

const actionWords: Record<InboundHookAction, string> = {
  'create-task': 'Create a task',
  'post-message': 'Post a message',
  'start-workflow': 'Start a workflow',
};

const exampleTemplates: Record<InboundHookAction, string> = {
  'create-task': '{\n  "title": "\'Build failed: \' + payload.pipeline"\n}',
  'post-message': '{\n  "task": "payload.task",\n  "content": "payload.text"\n}',
  'start-workflow': '{\n  "workflow": "\'deploy\'",\n  "input": "payload"\n}',
};

function hookUrl(hook: InboundHook): string {
  return `${window.location.origin}${hook.path}`;
}

/** Reads the template a person typed: JSON, field name → CEL expression, checked as the server will check it. */
function readTemplate(text: string): { template: Record<string, string> | null; error: string | null } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { template: null, error: 'The template is not JSON. Write it as { "field": "CEL expression" }.' };
  }
  const parsed = inboundHookTemplateSchema.safeParse(value);
  if (!parsed.success) return { template: null, error: `The template is not right: ${parsed.error.issues[0]?.message ?? 'check it'}.` };
  return { template: parsed.data, error: null };
}

/**
 * Inbound hooks: URLs outside tools (Zapier, Make, CI) POST JSON to, with the hook's secret, to
 * create a task, post a message or start a workflow; the secret is shown once.
 */
export function InboundHooksPanel() {
  const hooks = useInboundHooks();
  const calls = useInboundHookCalls();
  const [revealed, setRevealed] = useState<InboundHookWithSecret | null>(null);
  return (
    <section aria-labelledby="inbound-hooks-title" className="border-[3px] border-ink bg-paper p-3" data-testid="inbound-hooks-panel">
      <h2 id="inbound-hooks-title" className="text-sm font-black tracking-wide uppercase">
        Inbound hooks
      </h2>
      <p className="mt-1 text-sm">
        Any tool that can send JSON can act here: send the secret as a bearer token, or sign the body with it (HMAC-SHA256).
      </p>
      {revealed ? (
        <SecretReveal secret={revealed.secret} label="hook secret" onDone={() => setRevealed(null)}>
          <p>
            POST JSON for <span className="font-bold">{revealed.name}</span> to <code className="break-all">{hookUrl(revealed)}</code> with{' '}
            <code>Authorization: Bearer</code> and this secret.
          </p>
        </SecretReveal>
      ) : null}
      {hooks.isPending ? <SkeletonList rows={2} className="mt-3 h-10" /> : null}
      {hooks.isError ? <ErrorState error={hooks.error} what="inbound hooks" onRetry={() => void hooks.refetch()} /> : null}
      {hooks.data?.length === 0 ? <p className="mt-3 text-sm">No inbound hook yet.</p> : null}
      <ul className="mt-3 flex flex-col gap-3">
        {(hooks.data ?? []).map((hook) => (
          <HookRow
            key={hook.id}
            hook={hook}
            calls={(calls.data ?? []).filter((call) => call.hookId === hook.id).slice(0, 5)}
            onRotated={setRevealed}
          />
        ))}
      </ul>
      <CreateHookForm onCreated={setRevealed} />
    </section>
  );
}

interface HookCall {
  id: string;
  summary: string;
  at: string;
}

function HookRow({ hook, calls, onRotated }: { hook: InboundHook; calls: HookCall[]; onRotated: (hook: InboundHookWithSecret) => void }) {
  const client = useClient();
  const queryClient = useQueryClient();
  const now = useNow();
  const [copied, setCopied] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey: integrationKeys.inboundHooks });
  const copyUrl = async () => {
    try {
      await navigator.clipboard.writeText(hookUrl(hook));
      setCopied('URL copied.');
    } catch {
      setCopied('Copying was refused: select the URL and copy it by hand.');
    }
  };
  return (
    <li className="border-b-2 border-ink pb-3 text-sm" data-testid="inbound-hook-row">
      <p>
        <span className="font-bold">{hook.name}</span> · {actionWords[hook.action]} · {hook.enabled ? 'enabled' : 'disabled'} · last called{' '}
        {relativeTime(hook.lastReceivedAt, now)}
      </p>
      <code className="block break-all">{hookUrl(hook)}</code>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <button type="button" className="brutal-button" onClick={() => void copyUrl()}>
          Copy URL
        </button>
        <ActionButton
          label={hook.enabled ? 'Disable' : 'Enable'}
          action={() => client.inboundHooks.update(hook.id, { enabled: !hook.enabled })}
          done={(updated) => (updated.enabled ? 'Hook enabled.' : 'Hook disabled: calls are refused.')}
          after={refresh}
        />
        <ActionButton
          label="Rotate secret"
          action={() => client.inboundHooks.rotateSecret(hook.id)}
          done={() => 'New hook secret made: the old one no longer works.'}
          after={(rotated) => rotated && onRotated(rotated)}
        />
        <ActionButton
          label="Delete"
          variant="danger"
          action={() => client.inboundHooks.delete(hook.id)}
          done={() => 'Hook deleted.'}
          after={refresh}
        />
        <output className="font-mono text-xs">{copied}</output>
      </div>
      {calls.length > 0 ? (
        <ul className="mt-2 flex flex-col gap-1 pl-4 text-xs" aria-label={`Latest calls of ${hook.name}`}>
          {calls.map((call) => (
            <li key={call.id}>
              {relativeTime(call.at, now)} · {call.summary}
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function CreateHookForm({ onCreated }: { onCreated: (hook: InboundHookWithSecret) => void }) {
  const client = useClient();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [action, setAction] = useState<InboundHookAction>('create-task');
  const [template, setTemplate] = useState(exampleTemplates['create-task']);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const read = readTemplate(template);
    if (!read.template) {
      setError(read.error);
      return;
    }
    setPending(true);
    try {
      const created = await client.inboundHooks.create({ name: name.trim(), action, template: read.template });
      setName('');
      onCreated(created);
      await queryClient.invalidateQueries({ queryKey: integrationKeys.inboundHooks });
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setPending(false);
    }
  };
  return (
    <form className="mt-3 flex flex-col gap-2 text-sm" onSubmit={(event) => void submit(event)} aria-label="New inbound hook">
      <h3 className="font-black uppercase">New inbound hook</h3>
      <label className="flex flex-col">
        Name
        <input className="brutal-input" required value={name} onChange={(event) => setName(event.target.value)} />
      </label>
      <label className="flex flex-col">
        Action
        <select
          className="brutal-input"
          value={action}
          onChange={(event) => {
            const chosen = inboundHookActionSchema.safeParse(event.target.value);
            if (!chosen.success) return;
            // A template still the example of the old action follows the new one.
            if (template === exampleTemplates[action]) setTemplate(exampleTemplates[chosen.data]);
            setAction(chosen.data);
          }}
        >
          {inboundHookActionSchema.options.map((option) => (
            <option key={option} value={option}>
              {actionWords[option]}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col">
        Template (JSON: field → CEL over payload and headers)
        <textarea className="brutal-input font-mono" rows={4} value={template} onChange={(event) => setTemplate(event.target.value)} />
      </label>
      <div>
        <button type="submit" className="brutal-button" data-variant="primary" disabled={pending || !name.trim()}>
          Create hook
        </button>
      </div>
      {error ? <p role="alert">{error}</p> : null}
    </form>
  );
}
