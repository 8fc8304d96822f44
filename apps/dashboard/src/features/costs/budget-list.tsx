import type { Budget } from '@mission-control/contracts';
import { type FormEvent, useState } from 'react';
import { describeError } from '../../lib/describe-error';
import { showToast } from '../../lib/toasts';
import { formatCost } from '../agents/agent-runtime-api';
import { parseDollars, useCreateBudget, useDeleteBudget, useUpdateBudget } from './costs-api';

const statusWords: Record<Budget['status'], string> = { ok: 'Within budget', warning: 'Over 80%', exhausted: 'Used up' };

function BudgetRow({ budget, name }: { budget: Budget; name: string }) {
  const [editing, setEditing] = useState(false);
  const [limit, setLimit] = useState(budget.monthlyCostLimitMicroDollars ? String(budget.monthlyCostLimitMicroDollars / 1_000_000) : '');
  const update = useUpdateBudget();
  const remove = useDeleteBudget();
  const inputId = `budget-limit-${budget.id}`;
  const save = (event: FormEvent) => {
    event.preventDefault();
    const monthlyCostLimitMicroDollars = parseDollars(limit);
    if (monthlyCostLimitMicroDollars === null) {
      showToast('Type the monthly limit in dollars, more than 0 (for example 25).', 'error');
      return;
    }
    update.mutate(
      { id: budget.id, monthlyCostLimitMicroDollars },
      {
        onSuccess: () => setEditing(false),
        onError: (error) => showToast(describeError(error), 'error'),
      },
    );
  };
  return (
    <li className="flex flex-col gap-2 border-t-2 border-ink py-2 font-mono text-xs">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <span className="font-bold">{name}</span>
        <span className={budget.status === 'ok' ? '' : 'font-bold underline decoration-status-blocked decoration-[3px]'}>
          {statusWords[budget.status]} · {budget.percentUsed}%
        </span>
      </div>
      <div className="h-3 border-2 border-ink" aria-hidden="true">
        <div className="h-full bg-ink" style={{ width: `${Math.min(100, budget.percentUsed)}%` }} />
      </div>
      <p>
        This month {formatCost(budget.usedCostMicroDollars)}
        {budget.monthlyCostLimitMicroDollars ? ` of ${formatCost(budget.monthlyCostLimitMicroDollars)}` : ''} ·{' '}
        {budget.usedTokens.toLocaleString()} tokens{budget.monthlyTokenLimit ? ` of ${budget.monthlyTokenLimit.toLocaleString()}` : ''}
      </p>
      {editing ? (
        <form className="flex flex-wrap items-end gap-2" onSubmit={save}>
          <div>
            <label className="brutal-label" htmlFor={inputId}>
              Monthly limit in dollars
            </label>
            <input
              id={inputId}
              className="brutal-input"
              inputMode="decimal"
              value={limit}
              onChange={(event) => setLimit(event.target.value)}
            />
          </div>
          <button type="submit" className="brutal-button" data-variant="primary" disabled={update.isPending}>
            Save
          </button>
          <button type="button" className="brutal-button" onClick={() => setEditing(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <div className="flex gap-2">
          <button type="button" className="brutal-button" onClick={() => setEditing(true)}>
            Change limit
          </button>
          <button
            type="button"
            className="brutal-button"
            data-variant="danger"
            disabled={remove.isPending}
            onClick={() => remove.mutate(budget.id, { onError: (error) => showToast(describeError(error), 'error') })}
          >
            Remove
          </button>
        </div>
      )}
    </li>
  );
}

/** The monthly budgets with what they used, and a form for a new one (the workspace's or one agent's). */
export function BudgetList({ budgets, agents }: { budgets: Budget[]; agents: { id: string; name: string }[] }) {
  const names = new Map(agents.map((agent) => [agent.id, agent.name]));
  const taken = new Set(budgets.map((budget) => budget.agentId ?? 'workspace'));
  const choices = [{ id: 'workspace', name: 'The whole workspace' }, ...agents].filter((choice) => !taken.has(choice.id));
  const [scope, setScope] = useState('');
  const [limit, setLimit] = useState('');
  const create = useCreateBudget();
  const chosen = choices.some((choice) => choice.id === scope) ? scope : (choices[0]?.id ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const monthlyCostLimitMicroDollars = parseDollars(limit);
    if (monthlyCostLimitMicroDollars === null) {
      showToast('Type the monthly limit in dollars, more than 0 (for example 25).', 'error');
      return;
    }
    create.mutate(
      { ...(chosen === 'workspace' ? {} : { agentId: chosen }), monthlyCostLimitMicroDollars },
      { onSuccess: () => setLimit(''), onError: (error) => showToast(describeError(error), 'error') },
    );
  };
  return (
    <div className="flex flex-col gap-2">
      {budgets.length === 0 ? (
        <p className="font-mono text-xs">No budget yet: agents run without a monthly limit.</p>
      ) : (
        <ul>
          {budgets.map((budget) => (
            <BudgetRow
              key={budget.id}
              budget={budget}
              name={budget.agentId ? (names.get(budget.agentId) ?? 'A removed agent') : 'The whole workspace'}
            />
          ))}
        </ul>
      )}
      {choices.length > 0 ? (
        <form className="flex flex-wrap items-end gap-2 border-t-2 border-ink pt-2" onSubmit={submit} aria-label="New budget">
          <div>
            <label className="brutal-label" htmlFor="budget-scope">
              Budget for
            </label>
            <select id="budget-scope" className="brutal-input" value={chosen} onChange={(event) => setScope(event.target.value)}>
              {choices.map((choice) => (
                <option key={choice.id} value={choice.id}>
                  {choice.name}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label className="brutal-label" htmlFor="budget-limit">
              Monthly limit in dollars
            </label>
            <input
              id="budget-limit"
              className="brutal-input"
              inputMode="decimal"
              value={limit}
              onChange={(event) => setLimit(event.target.value)}
            />
          </div>
          <button type="submit" className="brutal-button" data-variant="primary" disabled={create.isPending}>
            Add budget
          </button>
        </form>
      ) : null}
    </div>
  );
}
