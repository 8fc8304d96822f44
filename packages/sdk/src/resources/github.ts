import {
  endpoints,
  type GithubConnection,
  type GithubConnectionWithSecret,
  type GithubFile,
  type GithubSearchResult,
  type GithubSyncResult,
} from '@mission-control/contracts';
import type { z } from 'zod';
import type { ResourceContext } from './auth.js';

/** What `github.connect` takes: the repository, a token, and the label and mappings of the import. */
export type ConnectGithubOptions = z.input<typeof endpoints.createGithubConnection.body>;
/** What `github.update` takes: only the fields to change. */
export type UpdateGithubConnectionOptions = z.input<typeof endpoints.updateGithubConnection.body>;

/** GitHub connections (`/integrations/github`): issues as tasks both ways, pull requests, code search and file reads. */
export class GithubResource {
  private readonly context: ResourceContext;

  /** Created by MissionControl; use `client.github`. */
  constructor(context: ResourceContext) {
    this.context = context;
  }

  /** Connects a repository; the answer carries the webhook secret this once (the token is never shown again). */
  connect(input: ConnectGithubOptions): Promise<GithubConnectionWithSecret> {
    return this.context.transport.call(endpoints.createGithubConnection, { body: input });
  }

  /** Lists the workspace's connections with their sync status, newest first. */
  async list(): Promise<GithubConnection[]> {
    return (await this.context.transport.call(endpoints.listGithubConnections)).data;
  }

  /** Changes a connection's token, label, mappings or enabled state. */
  update(connectionId: string, input: UpdateGithubConnectionOptions): Promise<GithubConnection> {
    return this.context.transport.call(endpoints.updateGithubConnection, { params: { id: connectionId }, body: input });
  }

  /** Disconnects a repository; the imported tasks stay. */
  async delete(connectionId: string): Promise<void> {
    await this.context.transport.call(endpoints.deleteGithubConnection, { params: { id: connectionId } });
  }

  /** Polls the connection now: labelled issues, new comments, open pull requests. */
  sync(connectionId: string): Promise<GithubSyncResult> {
    return this.context.transport.call(endpoints.syncGithubConnection, { params: { id: connectionId } });
  }

  /** Searches the connected repository's code with the connection's token. */
  search(connectionId: string, query: string, options: { limit?: number } = {}): Promise<GithubSearchResult> {
    return this.context.transport.call(endpoints.searchGithubCode, { params: { id: connectionId }, query: { q: query, ...options } });
  }

  /** Reads a file of the connected repository, at a branch, tag or commit (the default branch when left out). */
  readFile(connectionId: string, path: string, options: { ref?: string } = {}): Promise<GithubFile> {
    return this.context.transport.call(endpoints.readGithubFile, { params: { id: connectionId }, query: { path, ...options } });
  }
}
