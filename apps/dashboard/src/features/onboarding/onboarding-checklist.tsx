import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { plural } from '../../lib/format';
import { useActivityFeed } from '../activity/activity-api';
import { useAgents } from '../agents/agents-api';
import { useSession } from '../auth/use-session';
import { useBoardTasks } from '../tasks/tasks-api';
import { dismissOnboarding, isOnboardingDismissed, listOnboardingSteps, type OnboardingStepId } from './onboarding-steps';

const hints: Record<OnboardingStepId, string> = {
  'create-agent': 'Give the squad its first member: a name, a role and what it can do.',
  'connect-agent':
    "On the agent's page, create an API key: it comes with snippets for Claude Code, the mission CLI and curl. This ticks when the agent first reports in.",
  'create-task': 'Use + New task on the board below, or press c anywhere.',
  'watch-move': 'When an agent picks a task up, the card moves across the board on its own, and this ticks.',
};

/** The first-run checklist on the command center; it ticks itself from the workspace's data and can be put away. */
export function OnboardingChecklist() {
  const session = useSession();
  const workspaceId = session?.workspace.id ?? '';
  const agents = useAgents();
  const tasks = useBoardTasks();
  const feed = useActivityFeed();
  const [dismissedNow, setDismissedNow] = useState(false);
  // Read on each render: it is per workspace, and the workspace can change under the page.
  const dismissed = dismissedNow || isOnboardingDismissed(window.localStorage, workspaceId);
  // A workspace that had done everything before this page opened never sees the checklist.
  const startedIncomplete = useRef<boolean | null>(null);

  if (dismissed || !workspaceId || !agents.data || !tasks.data || !feed.data) return null;
  const steps = listOnboardingSteps(
    agents.data,
    tasks.data,
    feed.data.pages.flatMap((page) => page.data),
  );
  const remaining = steps.filter((step) => !step.done).length;
  if (startedIncomplete.current === null) startedIncomplete.current = remaining > 0;
  if (!startedIncomplete.current) return null;

  const firstAgent = agents.data[0];
  const links: Partial<Record<OnboardingStepId, { to: string; label: string }>> = {
    'create-agent': { to: '/agents', label: 'Go to agents' },
    ...(firstAgent ? { 'connect-agent': { to: `/agents/${firstAgent.id}`, label: `Open ${firstAgent.name}` } } : {}),
  };

  return (
    <section aria-labelledby="onboarding-heading" className="border-[3px] border-ink p-3" data-testid="onboarding-checklist">
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <h2 id="onboarding-heading" className="text-sm font-black tracking-widest uppercase">
          Get started {remaining === 0 ? '· all done' : `· ${plural(remaining, 'step')} to go`}
        </h2>
        <button
          type="button"
          className="brutal-button"
          onClick={() => {
            dismissOnboarding(window.localStorage, workspaceId);
            setDismissedNow(true);
          }}
        >
          Hide this checklist
        </button>
      </div>
      <ol className="grid grid-cols-1 gap-2 md:grid-cols-2 xl:grid-cols-4" aria-label="First steps">
        {steps.map((step, index) => {
          const link = links[step.id];
          return (
            <li key={step.id} className="flex flex-col gap-1 border-2 border-ink p-2" data-done={step.done}>
              <p className="font-black">
                <span aria-hidden="true" className="mr-1 inline-block w-5 border-2 border-ink text-center">
                  {step.done ? '✓' : index + 1}
                </span>
                {step.title}
                <span className="sr-only">{step.done ? ' (done)' : ' (to do)'}</span>
              </p>
              <p className="text-sm">{hints[step.id]}</p>
              {link && !step.done ? (
                <Link to={link.to} className="font-bold underline">
                  {link.label}
                </Link>
              ) : null}
            </li>
          );
        })}
      </ol>
      <p className="mt-2 text-sm">
        Prefer code? Every screen here has an endpoint: see the{' '}
        <a href="/api/docs" className="font-bold underline">
          API reference
        </a>
        .
      </p>
    </section>
  );
}
