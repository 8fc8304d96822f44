// biome-ignore-all lint/suspicious/noTemplateCurlyInString: workflow strings hold ${…} CEL interpolation, not JS templates
// biome-ignore-all lint/suspicious/noThenProperty: `then`/`else` are the branch names of a condition step in the workflow contract
import type { WorkflowDefinition } from '@mission-control/contracts';

/** The built-in templates: definitions to start from, each runnable as it is (`mission workflow test` runs them all). */
export const workflowTemplates: readonly { name: string; description: string; definition: WorkflowDefinition }[] = [
  {
    name: 'pipeline',
    description: 'Three tasks one after the other, each handed what the last one did.',
    definition: {
      name: 'pipeline',
      description: 'Plan, build, verify: each step waits for the one before.',
      inputs: { goal: { type: 'string', required: true } },
      steps: [
        { id: 'plan', kind: 'task', task: { title: 'Plan: ${inputs.goal}' } },
        { id: 'build', kind: 'task', needs: ['plan'], handoff: true, task: { title: 'Build: ${inputs.goal}' } },
        { id: 'verify', kind: 'task', needs: ['build'], handoff: true, task: { title: 'Verify: ${inputs.goal}' } },
      ],
    },
  },
  {
    name: 'fan-out-fan-in',
    description: 'One task per item, in parallel (forEach with maxParallel), then one task that gathers them.',
    definition: {
      name: 'fan-out-fan-in',
      description: 'Split the work by item, do it in parallel, merge the results.',
      inputs: { items: { type: 'list', required: true }, topic: { type: 'string', default: 'the work' } },
      steps: [
        { id: 'work', kind: 'task', forEach: 'inputs.items', maxParallel: 10, task: { title: '${inputs.topic}: ${item}' } },
        { id: 'merge', kind: 'task', needs: ['work'], handoff: true, task: { title: 'Merge ${inputs.topic}' } },
      ],
    },
  },
  {
    name: 'review-loop',
    description: 'A draft, a review, and a revision when the review failed.',
    definition: {
      name: 'review-loop',
      description: 'Write, review; revise when the review did not pass.',
      inputs: { subject: { type: 'string', required: true } },
      steps: [
        { id: 'draft', kind: 'task', task: { title: 'Draft ${inputs.subject}', requiredCapabilities: [] } },
        { id: 'review', kind: 'task', needs: ['draft'], handoff: true, onFailure: 'continue', task: { title: 'Review ${inputs.subject}' } },
        { id: 'check', kind: 'condition', needs: ['review'], if: "steps.review.status == 'done'", then: ['publish'], else: ['revise'] },
        { id: 'revise', kind: 'task', handoff: true, task: { title: 'Revise ${inputs.subject}' } },
        { id: 'publish', kind: 'notify', to: { roles: ['owner'] }, message: '${inputs.subject} passed review' },
      ],
    },
  },
  {
    name: 'escalation',
    description: 'A task with a deadline; when it fails or times out, owners are told and someone approves what happens next.',
    definition: {
      name: 'escalation',
      description: 'Try, and escalate to a person when it does not work out.',
      inputs: { issue: { type: 'string', required: true } },
      steps: [
        {
          id: 'attempt',
          kind: 'task',
          retries: 1,
          onFailure: 'continue',
          timeoutSeconds: 86_400,
          task: { title: 'Handle ${inputs.issue}', priority: 'high' },
        },
        { id: 'ok', kind: 'condition', needs: ['attempt'], if: "steps.attempt.status == 'done'", then: [], else: ['alert', 'decide'] },
        { id: 'alert', kind: 'notify', to: { roles: ['owner', 'admin'] }, message: 'Escalated: ${inputs.issue}' },
        {
          id: 'decide',
          kind: 'approval',
          approvers: { roles: ['owner', 'admin'] },
          title: 'Escalated: ${inputs.issue}. Approve to close it.',
        },
      ],
    },
  },
  {
    name: 'handoff-chain',
    description: 'Specialists one after the other, each task carrying a handoff packet from the one before.',
    definition: {
      name: 'handoff-chain',
      description: 'Research, then write, then edit, with handoffs.',
      inputs: { topic: { type: 'string', required: true } },
      steps: [
        { id: 'research', kind: 'task', task: { title: 'Research ${inputs.topic}', requiredCapabilities: ['research'] } },
        {
          id: 'write',
          kind: 'task',
          needs: ['research'],
          handoff: true,
          task: { title: 'Write ${inputs.topic}', requiredCapabilities: ['writing'] },
        },
        {
          id: 'edit',
          kind: 'task',
          needs: ['write'],
          handoff: true,
          task: { title: 'Edit ${inputs.topic}', requiredCapabilities: ['editing'] },
        },
      ],
    },
  },
  {
    name: 'daily-standup',
    description: "A summary of yesterday's work (done, blocked, costs per agent), for a routine at 09:00.",
    definition: {
      name: 'daily-standup',
      description: "Write the standup document from yesterday's board.",
      steps: [
        {
          id: 'summary',
          kind: 'task',
          task: {
            title: 'Daily standup for ${run.id}',
            description: "Post a summary document of yesterday's work: done, blocked, costs per agent.",
          },
        },
        {
          id: 'tell',
          kind: 'notify',
          needs: ['summary'],
          to: { roles: ['owner', 'admin', 'member'] },
          message: 'The daily standup is ready: ${steps.summary.taskKey}',
        },
      ],
    },
  },
  {
    name: 'research-write-review',
    description: 'Research, a draft with a handoff, then a human approval when the draft is done (owners told otherwise).',
    definition: {
      name: 'research-write-review',
      description: 'Two specialists and a human gate.',
      inputs: { topic: { type: 'string', required: true } },
      steps: [
        { id: 'research', kind: 'task', task: { title: 'Research ${inputs.topic}', requiredCapabilities: ['research'] } },
        {
          id: 'draft',
          kind: 'task',
          needs: ['research'],
          handoff: true,
          onFailure: 'continue',
          task: { title: 'Write about ${inputs.topic}', requiredCapabilities: ['writing'] },
        },
        { id: 'gate', kind: 'condition', needs: ['draft'], if: "steps.draft.status == 'done'", then: ['approve'], else: ['escalate'] },
        { id: 'approve', kind: 'approval', approvers: { roles: ['owner', 'admin'] }, timeoutSeconds: 86_400 },
        { id: 'escalate', kind: 'notify', to: { roles: ['owner'] }, message: 'Draft failed for ${inputs.topic}' },
      ],
    },
  },
];
