import { ActivityFeed } from '../activity/activity-feed';
import { AgentBar } from '../agents/agent-bar';
import { Board } from '../board/board';
import { usePageTitle } from '../layout/use-page-title';
import { OnboardingChecklist } from '../onboarding/onboarding-checklist';
import { QuickStats } from '../stats/quick-stats';
import { NewTaskButton } from '../tasks/task-form';

/** The home page: who is doing what (agents), the work (board), what just happened (feed) and the numbers. */
export default function CommandCenterPage() {
  usePageTitle('Command center');
  return (
    <div className="flex flex-col gap-5">
      <OnboardingChecklist />
      <section aria-labelledby="agents-heading">
        <h2 id="agents-heading" className="mb-2 text-sm font-black tracking-widest uppercase">
          Agents
        </h2>
        <AgentBar />
      </section>
      <section aria-labelledby="board-heading">
        <div className="mb-2 flex items-center justify-between gap-2">
          <h2 id="board-heading" className="text-sm font-black tracking-widest uppercase">
            Board
          </h2>
          <NewTaskButton />
        </div>
        <Board />
      </section>
      <div className="grid grid-cols-1 gap-5 xl:grid-cols-[2fr_1fr]">
        <section aria-labelledby="stats-heading">
          <h2 id="stats-heading" className="mb-2 text-sm font-black tracking-widest uppercase">
            Numbers
          </h2>
          <QuickStats />
        </section>
        <section aria-labelledby="feed-heading">
          <h2 id="feed-heading" className="mb-2 text-sm font-black tracking-widest uppercase">
            Live activity
          </h2>
          <ActivityFeed />
        </section>
      </div>
    </div>
  );
}
