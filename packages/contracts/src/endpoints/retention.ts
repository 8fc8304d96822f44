import { retentionSettingsSchema, updateRetentionSettingsSchema } from '../retention.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'workspaces';
const theSettings = { 200: { description: 'How long messages and run transcripts are kept', schema: retentionSettingsSchema } } as const;

export const getRetentionSettings = defineEndpoint({
  operationId: 'getRetentionSettings',
  method: 'GET',
  path: '/api/v1/workspace/retention',
  tag,
  auth: 'any',
  summary: 'How long the workspace keeps messages and run transcripts',
  description:
    'Days to keep task messages (`messagesDays`) and run transcripts (`runsDays`); `null` means forever, which is how every workspace starts. Everyone in the workspace can read it, so people know how long what they write stays.',
  responses: theSettings,
  errors: [],
});

export const updateRetentionSettings = defineEndpoint({
  operationId: 'updateRetentionSettings',
  method: 'PUT',
  path: '/api/v1/workspace/retention',
  tag,
  auth: 'user',
  summary: 'Change how long the workspace keeps messages and run transcripts',
  description: [
    'Owners and admins only (403 FORBIDDEN for everyone else). Each value is a number of days from 1 to 3650, or `null` to keep forever; a field left out keeps its value.',
    [
      'Once an hour the server deletes, permanently (there is no undo and no recycle bin):',
      '- task messages older than `messagesDays`, with their reactions, their file attachments (the bytes too, unless another attachment has the same file) and the mention and reply notifications that quote them. Messages on tasks that are still open (inbox, assigned, in progress, review, blocked) are kept, because the people and agents working on them read the thread; they go at the first purge after the task is done, failed or cancelled;',
      '- run transcripts older than `runsDays`: the prompt, every step, the output, the error and the test output. The run stays listed with its agent, task, status, model, tokens, cost and duration, so budgets and cost reports stay right;',
      '- in the activity feed, the copies of that text (message excerpts, quoted notifications, model steps and run errors) older than the same number of days; the entries themselves stay.',
    ].join('\n'),
    'Shortening a retention deletes the older content at the next purge. Each change appends a `retention-updated` event and a `retention.updated` audit entry; each purge that deletes something records a `retention.purged` audit entry with the counts.',
  ].join('\n\n'),
  body: updateRetentionSettingsSchema,
  responses: theSettings,
  errors: ['FORBIDDEN'],
});
