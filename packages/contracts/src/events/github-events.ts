import { z } from 'zod';
import { idSchema } from '../common.js';
import { changedFieldsSchema, defineEvent } from './event-base.js';

const connectionShape = { connectionId: idSchema };

export const githubConnectionCreatedEventSchema = defineEvent(
  'github-connection-created',
  { id: 'GithubConnectionCreatedEvent', description: 'A GitHub repository was connected; its labelled issues become tasks.' },
  { ...connectionShape, owner: z.string(), repo: z.string(), label: z.string() },
);

export const githubConnectionUpdatedEventSchema = defineEvent(
  'github-connection-updated',
  { id: 'GithubConnectionUpdatedEvent', description: 'A GitHub connection was changed (token, label, mappings or enabled).' },
  { ...connectionShape, changes: changedFieldsSchema },
);

export const githubConnectionDeletedEventSchema = defineEvent(
  'github-connection-deleted',
  { id: 'GithubConnectionDeletedEvent', description: 'A GitHub repository was disconnected; its imported tasks stay.' },
  connectionShape,
);

export const githubIssueImportedEventSchema = defineEvent(
  'github-issue-imported',
  { id: 'GithubIssueImportedEvent', description: 'A labelled GitHub issue became a task.' },
  { ...connectionShape, issueNumber: z.number().int(), url: z.string() },
);

export const githubPullRequestOpenedEventSchema = defineEvent(
  'github-pull-request-opened',
  {
    id: 'GithubPullRequestOpenedEvent',
    description: 'A pull request was opened for a branch a runner run pushed for the task.',
  },
  { ...connectionShape, number: z.number().int(), url: z.string(), branch: z.string() },
);

export const githubPullRequestMergedEventSchema = defineEvent(
  'github-pull-request-merged',
  { id: 'GithubPullRequestMergedEvent', description: "The task's pull request was merged; the task moves to done when it can." },
  { ...connectionShape, number: z.number().int(), url: z.string() },
);

export const githubEventSchemas = [
  githubConnectionCreatedEventSchema,
  githubConnectionUpdatedEventSchema,
  githubConnectionDeletedEventSchema,
  githubIssueImportedEventSchema,
  githubPullRequestOpenedEventSchema,
  githubPullRequestMergedEventSchema,
] as const;
