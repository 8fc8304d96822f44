import { type RetentionSettings, type Workspace, type WorkspaceRuntimeSettings, wipLimitColumns } from '@mission-control/contracts';
import { ErrorState, Skeleton } from '../../components/states';
import { useSession } from '../auth/use-session';
import { usePageTitle } from '../layout/use-page-title';
import { describeRetention, RetentionForm, retentionFields } from './retention-form';
import { onOff, RuntimeSettingsForm, runtimeToggles } from './runtime-settings-form';
import {
  canEditRetention,
  canEditRuntimeSettings,
  canEditWorkspace,
  useRetentionSettings,
  useRuntimeSettings,
  useWorkspace,
} from './workspace-api';
import { limitLabel, WorkspaceForm } from './workspace-form';

/** Settings → Workspace: the name, the board's WIP limits, how agents pick up and hand in work, and how long data is kept. */
export default function WorkspaceSettingsPage() {
  usePageTitle('Workspace settings');
  const session = useSession();
  const workspace = useWorkspace();
  const runtime = useRuntimeSettings();
  const editsWorkspace = canEditWorkspace(session?.role);
  const editsRuntime = canEditRuntimeSettings(session?.role);
  const retention = useRetentionSettings();
  const editsRetention = canEditRetention(session?.role);
  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-6">
      <h1 className="text-3xl font-black tracking-tighter uppercase">Workspace settings</h1>
      <section className="flex flex-col gap-3 border-[3px] border-ink p-3" aria-labelledby="workspace-section-title">
        <h2 id="workspace-section-title" className="text-xl font-black uppercase">
          Workspace
        </h2>
        {editsWorkspace ? null : <p className="font-bold">Only owners and admins can change the name and the limits.</p>}
        {workspace.data ? (
          editsWorkspace ? (
            <WorkspaceForm workspace={workspace.data} />
          ) : (
            <WorkspaceValues workspace={workspace.data} />
          )
        ) : workspace.isError ? (
          <ErrorState error={workspace.error} onRetry={() => void workspace.refetch()} what="the workspace" />
        ) : (
          <Skeleton className="h-40" />
        )}
      </section>
      <section className="flex flex-col gap-3 border-[3px] border-ink p-3" aria-labelledby="runtime-section-title">
        <h2 id="runtime-section-title" className="text-xl font-black uppercase">
          Agents
        </h2>
        {editsRuntime ? null : <p className="font-bold">Only owners, admins and members can change these.</p>}
        {runtime.data ? (
          editsRuntime ? (
            <RuntimeSettingsForm settings={runtime.data} />
          ) : (
            <RuntimeValues settings={runtime.data} />
          )
        ) : runtime.isError ? (
          <ErrorState error={runtime.error} onRetry={() => void runtime.refetch()} what="the agent settings" />
        ) : (
          <Skeleton className="h-24" />
        )}
      </section>
      <section className="flex flex-col gap-3 border-[3px] border-ink p-3" aria-labelledby="retention-section-title">
        <h2 id="retention-section-title" className="text-xl font-black uppercase">
          Data retention
        </h2>
        <p>
          How long this workspace keeps what is written in it. Once an hour, anything older than the time chosen here is deleted for good:
          there is no undo and no recycle bin. Keep forever, the default, deletes nothing.
        </p>
        {editsRetention ? null : <p className="font-bold">Only owners and admins can change how long data is kept.</p>}
        {retention.data ? (
          editsRetention ? (
            <RetentionForm settings={retention.data} />
          ) : (
            <RetentionValues settings={retention.data} />
          )
        ) : retention.isError ? (
          <ErrorState error={retention.error} onRetry={() => void retention.refetch()} what="the data retention" />
        ) : (
          <Skeleton className="h-24" />
        )}
      </section>
    </div>
  );
}

function RetentionValues({ settings }: { settings: RetentionSettings }) {
  return (
    <dl className="flex flex-col gap-2" data-testid="retention-values">
      {retentionFields.map((field) => (
        <div key={field.key}>
          <dt className="font-bold">
            {field.label}: {describeRetention(settings[field.key])}
          </dt>
          <dd className="text-sm text-ink-muted">{field.explanation}</dd>
        </div>
      ))}
    </dl>
  );
}

function WorkspaceValues({ workspace }: { workspace: Workspace }) {
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1" data-testid="workspace-values">
      <div className="contents">
        <dt className="font-bold">Name</dt>
        <dd>{workspace.name}</dd>
      </div>
      {wipLimitColumns.map((column) => (
        <div key={column} className="contents">
          <dt className="font-bold">{limitLabel(column)}</dt>
          <dd>{workspace.wipLimits[column] ?? 'No limit'}</dd>
        </div>
      ))}
    </dl>
  );
}

function RuntimeValues({ settings }: { settings: WorkspaceRuntimeSettings }) {
  return (
    <dl className="flex flex-col gap-2">
      {runtimeToggles.map((toggle) => (
        <div key={toggle.key}>
          <dt className="font-bold">
            {toggle.label}: {onOff(settings[toggle.key])}
          </dt>
          <dd className="text-sm text-ink-muted">{toggle.explanation}</dd>
        </div>
      ))}
    </dl>
  );
}
