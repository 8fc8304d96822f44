// biome-ignore-all lint/suspicious/noThenProperty: `then`/`else` are the branch names of a condition step in the workflow contract
import type { WorkflowStepState } from '@mission-control/contracts';
import { describe, expect, it } from 'vitest';
import { layoutWorkflow, stepStatuses, workflowEdges } from './dag-layout';

const researchWriteReview = [
  { id: 'research', kind: 'task' },
  { id: 'draft', kind: 'task', needs: ['research'] },
  { id: 'gate', kind: 'condition', needs: ['draft'], then: ['approve'], else: ['escalate'] },
  { id: 'approve', kind: 'approval' },
  { id: 'escalate', kind: 'notify' },
];

function layers(steps: Parameters<typeof layoutWorkflow>[0]) {
  return Object.fromEntries(layoutWorkflow(steps).nodes.map((node) => [node.id, node.layer]));
}

describe('layoutWorkflow', () => {
  it('puts each step one row below the deepest step it waits for, branches of a condition included', () => {
    expect(layers(researchWriteReview)).toEqual({ research: 0, draft: 1, gate: 2, approve: 3, escalate: 3 });
    expect(workflowEdges(researchWriteReview).map((edge) => `${edge.source}->${edge.target}:${edge.label}`)).toEqual([
      'research->draft:',
      'draft->gate:',
      'gate->approve:then',
      'gate->escalate:else',
    ]);
  });

  it('runs parallel steps side by side on one row and a fan-in below the longest chain', () => {
    const { nodes } = layoutWorkflow([
      { id: 'split', kind: 'task' },
      { id: 'left', kind: 'task', needs: ['split'] },
      { id: 'right', kind: 'task', needs: ['split'] },
      { id: 'longer', kind: 'task', needs: ['right'] },
      { id: 'merge', kind: 'task', needs: ['left', 'longer'] },
    ]);
    const byId = new Map(nodes.map((node) => [node.id, node]));
    expect(byId.get('merge')?.layer).toBe(3);
    expect(byId.get('left')?.y).toBe(byId.get('right')?.y);
    expect(byId.get('left')?.x).toBeLessThan(byId.get('right')?.x ?? 0);
    // No two nodes share a place.
    expect(new Set(nodes.map((node) => `${node.x},${node.y}`)).size).toBe(nodes.length);
  });

  it('draws a draft with a cycle or an unknown need instead of hanging on it', () => {
    const result = layers([
      { id: 'a', kind: 'task', needs: ['b'] },
      { id: 'b', kind: 'task', needs: ['a'] },
      { id: 'c', kind: 'task', needs: ['nowhere'] },
    ]);
    expect(result).toEqual({ c: 0, a: 1, b: 1 });
  });
});

describe('stepStatuses', () => {
  const state = (stepId: string, status: WorkflowStepState['status'], itemIndex: number | null): WorkflowStepState => ({
    stepId,
    kind: 'task',
    itemIndex,
    status,
    taskId: null,
    approvalId: null,
    childRunId: null,
    attempts: 1,
    output: null,
    error: null,
    startedAt: null,
    finishedAt: null,
  });

  it('takes the step row itself, or says what its forEach items say', () => {
    const statuses = stepStatuses({
      steps: [
        state('plan', 'done', null),
        state('work', 'done', 0),
        state('work', 'running', 1),
        state('all', 'done', 0),
        state('all', 'done', 1),
        state('broken', 'running', 0),
        state('broken', 'failed', 1),
      ],
    });
    expect(Object.fromEntries(statuses)).toEqual({ plan: 'done', work: 'running', all: 'done', broken: 'failed' });
  });
});
