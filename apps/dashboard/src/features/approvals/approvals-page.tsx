import type { Approval, ApprovalStatus } from '@mission-control/contracts';
import { useState } from 'react';
import { Link } from 'react-router';
import { DecisionButtons, ViewButtons } from '../../components/decision-controls';
import { EmptyState, ErrorState, SkeletonList } from '../../components/states';
import { describeError } from '../../lib/describe-error';
import { formatDateTime, relativeTime } from '../../lib/format';
import { showToast } from '../../lib/toasts';
import { useNow } from '../../lib/use-now';
import { usePageTitle } from '../layout/use-page-title';
import { usePrincipalDirectory } from '../people/people-api';
import { useWorkflowRun, useWorkflowVersions } from '../workflows/workflows-api';
import { useApprovals, useDecideApproval, useLiveApprovals } from './approvals-api';

const views: { status: ApprovalStatus | 'all'; label: string }[] = [
  { status: 'pending', label: 'Waiting' },
  { status: 'approved', label: 'Approved' },
  { status: 'rejected', label: 'Rejected' },
  { status: 'all', label: 'All' },
];

/** One inbox for every human gate: workflow approval steps and agents proposing new agents. */
export default function ApprovalsPage() {
  usePageTitle('Approvals');
  const [status, setStatus] = useState<ApprovalStatus | 'all'>('pending');
  const approvals = useApprovals(status);
  useLiveApprovals();
  return (
    <div className="mx-auto flex max-w-4xl flex-col gap-4">
      <h1 className="text-3xl font-black uppercase">Approvals</h1>
      <ViewButtons views={views} value={status} onChange={setStatus} />
      {approvals.isPending ? (
        <SkeletonList />
      ) : approvals.isError ? (
        <ErrorState error={approvals.error} onRetry={() => void approvals.refetch()} what="the approvals" />
      ) : approvals.data.length === 0 ? (
        <EmptyState title={status === 'pending' ? 'Nothing waiting for you' : 'No approvals here'}>
          Workflow approval steps and agents proposing new agents land here.
        </EmptyState>
      ) : (
        <ul className="flex flex-col gap-3" aria-label="Approvals">
          {approvals.data.map((approval) => (
            <ApprovalCard key={approval.id} approval={approval} />
          ))}
        </ul>
      )}
    </div>
  );
}

function ApprovalCard({ approval }: { approval: Approval }) {
  const now = useNow();
  const directory = usePrincipalDirectory();
  const decide = useDecideApproval();
  const [comment, setComment] = useState('');
  const commentId = `comment-${approval.id}`;
  const submit = (decision: 'approve' | 'reject') =>
    decide.mutate(
      { approvalId: approval.id, decision, comment },
      { onSuccess: () => showToast(decision === 'approve' ? 'Approved.' : 'Rejected.', 'success') },
    );
  return (
    <li className="flex flex-col gap-2 border-[3px] border-ink p-3" data-approval={approval.id}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <h2 className="min-w-0 text-lg font-black break-words">{approval.title}</h2>
        <span className="border-2 border-ink px-1.5 font-mono text-xs font-bold uppercase">{approval.status}</span>
      </div>
      <ApprovalSource approval={approval} />
      <p className="font-mono text-xs text-ink-muted">
        <span title={formatDateTime(approval.createdAt)}>Asked {relativeTime(approval.createdAt, now)}</span>
        {approval.requestedBy ? ` by ${directory.nameOf(approval.requestedBy)}` : ''}
        {approval.approverRoles.length > 0 ? ` · for ${approval.approverRoles.join(' or ')}` : ''}
        {approval.expiresAt && approval.status === 'pending' ? (
          <span title={formatDateTime(approval.expiresAt)}> · expires {relativeTime(approval.expiresAt, now)}</span>
        ) : null}
      </p>
      {approval.status === 'pending' ? (
        <div className="flex flex-col gap-2">
          <label htmlFor={commentId} className="brutal-label">
            Comment (optional)
          </label>
          <textarea id={commentId} className="brutal-input min-h-16" value={comment} onChange={(event) => setComment(event.target.value)} />
          <DecisionButtons pending={decide.isPending} onDecide={submit} />
          {decide.isError ? (
            <p role="alert" className="font-mono text-sm">
              {describeError(decide.error)}
            </p>
          ) : null}
        </div>
      ) : (
        <p className="text-sm">
          {approval.status === 'expired'
            ? 'Expired unanswered'
            : `${approval.status === 'approved' ? 'Approved' : 'Rejected'} by ${directory.nameOf(approval.decidedBy)}`}
          {approval.decidedAt ? <span title={formatDateTime(approval.decidedAt)}> {relativeTime(approval.decidedAt, now)}</span> : null}
          {approval.comment ? `: “${approval.comment}”` : ''}
        </p>
      )}
    </li>
  );
}

/** Where the gate comes from, in words: the workflow and the step by name, or what the agent proposes. */
function ApprovalSource({ approval }: { approval: Approval }) {
  const source = approval.source;
  const run = useWorkflowRun(source.kind === 'workflow-step' ? source.workflowRunId : undefined);
  const versions = useWorkflowVersions(run.data?.workflowId ?? '', Boolean(run.data));
  const now = useNow();
  if (source.kind === 'agent-proposal') {
    const entries = Object.entries(source.proposal).filter(([, value]) => value !== null && value !== undefined && value !== '');
    return (
      <div className="text-sm">
        <p>An agent proposes a new agent:</p>
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 font-mono text-xs">
          {entries.map(([key, value]) => (
            <div key={key} className="contents">
              <dt className="font-bold">{key}</dt>
              <dd className="break-words">
                {Array.isArray(value) ? value.join(', ') : typeof value === 'object' ? JSON.stringify(value) : String(value)}
              </dd>
            </div>
          ))}
        </dl>
      </div>
    );
  }
  if (source.kind === 'budget-raise') {
    // The title already says whose budget and to how much; the agent's reason is what a person weighs.
    const reason = typeof source.request.reason === 'string' ? source.request.reason.trim() : '';
    return (
      <p className="text-sm">
        A budget request: approving sets the new monthly limit at once.
        {reason ? ` The reason given: “${reason}”` : ' No reason was given.'}
      </p>
    );
  }
  if (!run.data)
    return <p className="text-sm">{run.isError ? 'From a workflow run that is no longer readable.' : 'From a workflow run…'}</p>;
  const definition = versions.data?.find((each) => each.version === run.data.version)?.definition;
  const step = definition?.steps.find((each) => each.id === source.stepId);
  return (
    <p className="text-sm">
      Step <span className="font-bold">{step?.name ?? source.stepId}</span> of{' '}
      <Link to={`/workflows/runs/${run.data.id}`} className="font-bold underline">
        the {run.data.workflowName} run
      </Link>{' '}
      started {relativeTime(run.data.startedAt, now)}
    </p>
  );
}
