import { z } from 'zod';
import { idParamsSchema } from '../common.js';
import {
  createGithubConnectionSchema,
  githubConnectionSchema,
  githubConnectionWithSecretSchema,
  githubEventParamsSchema,
  githubFileSchema,
  githubSearchResultSchema,
  githubSyncResultSchema,
  githubWebhookPayloadSchema,
  githubWebhookResultSchema,
  readGithubFileQuerySchema,
  searchGithubQuerySchema,
  updateGithubConnectionSchema,
} from '../github.js';
import { defineEndpoint } from './define-endpoint.js';

const tag = 'integrations';
const managers = 'Owners and admins manage GitHub connections; other callers get 403.';
const theConnection = { 200: { description: 'The GitHub connection', schema: githubConnectionSchema } } as const;

export const createGithubConnection = defineEndpoint({
  operationId: 'createGithubConnection',
  method: 'POST',
  path: '/api/v1/integrations/github',
  tag,
  auth: 'user',
  summary: 'Connect a GitHub repository',
  description: `Open issues carrying \`label\` become tasks (labels → required capabilities by \`capabilityMapping\`, GitHub assignees → assignees by \`assigneeMapping\`), polled with conditional requests and through GitHub's webhook. From then on a task's status changes comment on, close and reopen its issue, comments on the issue arrive as messages in the task's thread, a runner run that pushed a branch for an imported task opens a pull request, and a merged pull request moves the task to done. The token is stored encrypted under the instance secret and never returned; the answer shows the webhook secret once (give it to GitHub with the \`webhookPath\` URL, content type application/json, events: issues, issue comments, pull requests). ${managers} Appends \`github-connection-created\`.`,
  body: createGithubConnectionSchema,
  responses: { 201: { description: 'The connection with its webhook secret, shown once', schema: githubConnectionWithSecretSchema } },
  errors: ['FORBIDDEN', 'GITHUB_CONNECTION_EXISTS'],
});

export const listGithubConnections = defineEndpoint({
  operationId: 'listGithubConnections',
  method: 'GET',
  path: '/api/v1/integrations/github',
  tag,
  auth: 'any',
  summary: "The workspace's GitHub connections",
  description:
    'Newest first, each with its sync status, never the token or the webhook secret. Any member or agent of the workspace may list them (agents pick the repository to search or read this way).',
  responses: { 200: { description: 'The connections', schema: z.object({ data: z.array(githubConnectionSchema) }) } },
  errors: ['FORBIDDEN'],
});

export const updateGithubConnection = defineEndpoint({
  operationId: 'updateGithubConnection',
  method: 'PATCH',
  path: '/api/v1/integrations/github/{id}',
  tag,
  auth: 'user',
  summary: 'Change a GitHub connection',
  description: `A new token, label or mappings apply from the next poll; a changed label starts the issue listing afresh. ${managers} Appends \`github-connection-updated\`.`,
  params: idParamsSchema,
  body: updateGithubConnectionSchema,
  responses: theConnection,
  errors: ['FORBIDDEN', 'GITHUB_CONNECTION_NOT_FOUND'],
});

export const deleteGithubConnection = defineEndpoint({
  operationId: 'deleteGithubConnection',
  method: 'DELETE',
  path: '/api/v1/integrations/github/{id}',
  tag,
  auth: 'user',
  summary: 'Disconnect a GitHub repository',
  description: `The imported tasks stay; they no longer follow their issues. Remove the webhook on GitHub too. ${managers} Appends \`github-connection-deleted\`.`,
  params: idParamsSchema,
  responses: { 204: { description: 'Disconnected' } },
  errors: ['FORBIDDEN', 'GITHUB_CONNECTION_NOT_FOUND'],
});

export const syncGithubConnection = defineEndpoint({
  operationId: 'syncGithubConnection',
  method: 'POST',
  path: '/api/v1/integrations/github/{id}/sync',
  tag,
  auth: 'user',
  summary: 'Sync a GitHub connection now',
  description: `Polls at once what the integrations worker polls every minute: the labelled issues, new issue comments and the open pull requests, each with a conditional request (a 304 changes nothing). When another instance is syncing this connection right now the answer is all zeros. A failing GitHub answers 502 GITHUB_REQUEST_FAILED with its status; the sync status keeps the error. ${managers}`,
  params: idParamsSchema,
  responses: { 200: { description: 'What the sync brought', schema: githubSyncResultSchema } },
  errors: ['FORBIDDEN', 'GITHUB_CONNECTION_NOT_FOUND', 'GITHUB_CONNECTION_DISABLED', 'GITHUB_REQUEST_FAILED'],
});

export const receiveGithubEvent = defineEndpoint({
  operationId: 'receiveGithubEvent',
  method: 'POST',
  path: '/api/v1/integrations/github/{id}/events',
  tag,
  auth: 'own-credential',
  summary: "GitHub's webhook",
  description:
    "Where GitHub posts `issues`, `issue_comment` and `pull_request` events (and `ping`). The body must be signed: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the connection's webhook secret>`; a missing or wrong signature answers 401 GITHUB_SIGNATURE_INVALID and changes nothing. A labelled issue becomes a task, a new comment a message in the task's thread (comments this server posted are not echoed back), a merged pull request moves its task to done. Kinds and issues the connection ignores answer 200 with `accepted: false`.",
  params: githubEventParamsSchema,
  body: githubWebhookPayloadSchema,
  headers: {
    'x-hub-signature-256': { description: 'sha256=<hex HMAC-SHA256 of the raw body>', schema: z.string().max(200).optional() },
    'x-github-event': {
      description: 'The kind of event: issues, issue_comment, pull_request, ping',
      schema: z.string().max(100).optional(),
    },
  },
  responses: { 200: { description: 'Whether the event changed anything', schema: githubWebhookResultSchema } },
  errors: ['GITHUB_CONNECTION_NOT_FOUND', 'GITHUB_SIGNATURE_INVALID', 'GITHUB_CONNECTION_DISABLED'],
});

export const searchGithubCode = defineEndpoint({
  operationId: 'searchGithubCode',
  method: 'GET',
  path: '/api/v1/integrations/github/{id}/search',
  tag,
  auth: 'any',
  summary: "Search the connected repository's code",
  description:
    "GitHub code search limited to the connection's repository, made with the connection's token (which the caller never sees). Any member or agent of the workspace may search. A failing GitHub answers 502 GITHUB_REQUEST_FAILED.",
  params: idParamsSchema,
  query: searchGithubQuerySchema,
  responses: { 200: { description: 'The matching files', schema: githubSearchResultSchema } },
  errors: ['FORBIDDEN', 'GITHUB_CONNECTION_NOT_FOUND', 'GITHUB_CONNECTION_DISABLED', 'GITHUB_REQUEST_FAILED'],
});

export const readGithubFile = defineEndpoint({
  operationId: 'readGithubFile',
  method: 'GET',
  path: '/api/v1/integrations/github/{id}/contents',
  tag,
  auth: 'any',
  summary: 'Read a file of the connected repository',
  description:
    "The file's text at a branch, tag or commit (the default branch when `ref` is left out), read with the connection's token. A path that is not a file answers 404 GITHUB_FILE_NOT_FOUND. Any member or agent of the workspace may read.",
  params: idParamsSchema,
  query: readGithubFileQuerySchema,
  responses: { 200: { description: 'The file', schema: githubFileSchema } },
  errors: ['FORBIDDEN', 'GITHUB_CONNECTION_NOT_FOUND', 'GITHUB_CONNECTION_DISABLED', 'GITHUB_FILE_NOT_FOUND', 'GITHUB_REQUEST_FAILED'],
});
