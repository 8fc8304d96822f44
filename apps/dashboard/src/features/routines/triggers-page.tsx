import type { Trigger } from '@mission-control/contracts';
import { useState } from 'react';
import { eventLabel, plural } from '../../lib/format';
import { showToast } from '../../lib/toasts';
import { usePageTitle } from '../layout/use-page-title';
import { AutomationCard, AutomationPage } from './automation-parts';
import { useTriggerActions, useTriggers } from './routines-api';
import { TriggerDialog } from './trigger-dialog';

/** What a trigger does, in words. */
export function describeAction(then: Trigger['then']): string {
  const read = (value: unknown, key: string) =>
    typeof value === 'object' && value !== null ? String(Object.entries(value).find(([name]) => name === key)?.[1] ?? '') : '';
  if (then.startWorkflow) return `starts the workflow ${read(then.startWorkflow, 'workflow')}`;
  if (then.createTask) return `creates the task “${read(then.createTask, 'title')}”`;
  if (then.postMessage) return `posts a message on ${read(then.postMessage, 'task')}`;
  if (then.notify) return `notifies: “${read(then.notify, 'message')}”`;
  return 'does nothing';
}

/** Triggers: IF an event THEN an action, each with how often it fired. */
export default function TriggersPage() {
  usePageTitle('Triggers');
  const triggers = useTriggers();
  const actions = useTriggerActions();
  const [editing, setEditing] = useState<Trigger | 'new' | null>(null);
  const failure = actions.update.error ?? actions.remove.error;
  return (
    <>
      <AutomationPage
        title="Triggers"
        newLabel="New trigger"
        onNew={() => setEditing('new')}
        failure={failure}
        query={triggers}
        what="the triggers"
        emptyTitle="No triggers yet"
        emptyText="A trigger watches the event stream: when a task is done, start a workflow…"
      >
        {(items) =>
          items.map((trigger) => (
            <AutomationCard
              key={trigger.id}
              name={trigger.name}
              enabled={trigger.enabled}
              onToggle={() => actions.update.mutate({ id: trigger.id, input: { enabled: !trigger.enabled } })}
              onEdit={() => setEditing(trigger)}
              onDelete={() => actions.remove.mutate(trigger.id, { onSuccess: () => showToast(`${trigger.name} deleted.`) })}
            >
              <p className="text-sm break-words">
                When <span className="font-bold">{eventLabel(trigger.on).toLowerCase()}</span>
                {trigger.if ? (
                  <>
                    {' '}
                    and <code className="font-mono text-xs">{trigger.if}</code>
                  </>
                ) : null}
                , it {describeAction(trigger.then)}.
              </p>
              <p className="font-mono text-xs">
                Fired {plural(trigger.firedCount, 'time')} · loop guard {trigger.maxDepth} deep
              </p>
            </AutomationCard>
          ))
        }
      </AutomationPage>
      {editing ? (
        <TriggerDialog
          key={editing === 'new' ? 'new' : editing.id}
          trigger={editing === 'new' ? null : editing}
          open
          onOpenChange={(open) => !open && setEditing(null)}
        />
      ) : null}
    </>
  );
}
