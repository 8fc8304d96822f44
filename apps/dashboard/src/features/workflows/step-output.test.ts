import { describe, expect, it } from 'vitest';
import { describeStepOutput } from './step-output';

const nameOf = () => 'Ada';
const stepName = (id: string) => (id === 'approve' ? 'Sign off' : id);

describe('describeStepOutput', () => {
  it('says what a task, an approval and a condition produced', () => {
    expect(describeStepOutput({ taskStatus: 'done', taskId: 'x', taskKey: 'MC-4', title: 'Research cats' }, nameOf, stepName)).toBe(
      'Task MC-4 “Research cats” ended done.',
    );
    expect(
      describeStepOutput(
        { decision: 'approved', comment: 'Ship it', decidedBy: { kind: 'user', id: '0190a5c8-7d3e-7a4b-9c2d-1e2f3a4b5c6d' } },
        nameOf,
        stepName,
      ),
    ).toBe('Approved by Ada: “Ship it”');
    expect(describeStepOutput({ result: true, branch: 'then', targets: ['approve'] }, nameOf, stepName)).toBe(
      'The condition was true: the then branch goes on to Sign off.',
    );
  });

  it('leaves other outputs to be shown as they are', () => {
    expect(describeStepOutput({ status: 201 }, nameOf, stepName)).toBeNull();
    expect(describeStepOutput('text', nameOf, stepName)).toBeNull();
  });
});
