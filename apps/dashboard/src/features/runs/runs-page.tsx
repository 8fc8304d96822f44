import { runStatusSchema } from '@mission-control/contracts';
import { FilterSelect } from '../../components/filter-fields';
import { useUrlFilters } from '../../lib/use-url-filters';
import { useAgents } from '../agents/agents-api';
import { usePageTitle } from '../layout/use-page-title';
import { outcomeLabels } from './run-format';
import { RunList } from './run-list';
import { RunnerList } from './runner-list';

const outcomeOptions = runStatusSchema.options.map((status) => ({ value: status, label: outcomeLabels[status] }));

/** Where work happens: the runners and their live state, and recent runs across the workspace. */
export default function RunsPage() {
  usePageTitle('Runs');
  const { parameters, setFilter } = useUrlFilters();
  const agents = useAgents();
  const status = runStatusSchema.safeParse(parameters.get('outcome')).data;
  const agentId = parameters.get('agent') ?? '';
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-5">
      <h1 className="text-3xl font-black uppercase">Runs</h1>
      <section aria-labelledby="runners-heading" className="flex flex-col gap-2">
        <h2 id="runners-heading" className="text-xl font-black uppercase">
          Runners
        </h2>
        <RunnerList />
      </section>
      <section aria-labelledby="recent-runs-heading" className="flex flex-col gap-2">
        <h2 id="recent-runs-heading" className="text-xl font-black uppercase">
          Recent runs
        </h2>
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:max-w-xl">
          <FilterSelect
            id="runs-outcome"
            label="Outcome"
            anyLabel="Any outcome"
            value={status ?? ''}
            options={outcomeOptions}
            onChange={(value) => setFilter('outcome', value)}
          />
          <FilterSelect
            id="runs-agent"
            label="Agent"
            anyLabel="Every agent"
            value={agentId}
            options={(agents.data ?? []).map((agent) => ({ value: agent.id, label: agent.name }))}
            onChange={(value) => setFilter('agent', value)}
          />
        </div>
        <RunList
          filters={{ status, agentId: agentId || undefined }}
          emptyTitle={status || agentId ? 'No runs match these filters' : 'No runs yet'}
        />
      </section>
    </div>
  );
}
