import { type GithubConnection, githubFileSchema, githubSearchResultSchema, textSchema } from '@mission-control/contracts';
import type { MissionControl } from '@mission-control/sdk';
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { AgentTool } from './agent-tools.js';
import { invalidInput, runTool, toolResult } from './results.js';
import { readOnlyOpenWorldTool } from './tool-annotations.js';

/** Keeps each tool's argument types while the list holds them all under one type. */
function defineGithubTool<Shape extends z.ZodRawShape>(definition: {
  name: string;
  title: string;
  description: string;
  inputSchema: Shape;
  outputSchema: z.ZodRawShape;
  annotations: ToolAnnotations;
  run(input: z.output<z.ZodObject<Shape>>): Promise<CallToolResult>;
}): AgentTool {
  return { ...definition, run: (input) => definition.run(input as z.output<z.ZodObject<Shape>>) };
}

const repositoryArgument = textSchema()
  .trim()
  .max(201)
  .optional()
  .describe('owner/repo of a connected repository; needed only when the workspace connected more than one');

/**
 * The GitHub tools: code search and file reads in the workspace's connected repositories. They go
 * through the server, which calls GitHub with the connection's token: the agent never holds it.
 */
export function createGithubTools(client: MissionControl): AgentTool[] {
  /** The connection to use, or a tool error saying which ones there are. */
  async function pickConnection(repository: string | undefined): Promise<GithubConnection | CallToolResult> {
    const connections = (await client.github.list()).filter((connection) => connection.enabled);
    const named = (connection: GithubConnection) => `${connection.owner}/${connection.repo}`;
    if (connections.length === 0) {
      return invalidInput('no GitHub repository is connected to this workspace; ask an owner or admin to connect one.');
    }
    if (repository) {
      const match = connections.find((connection) => named(connection).toLowerCase() === repository.toLowerCase());
      return match ?? invalidInput(`${repository} is not connected; the connected repositories are ${connections.map(named).join(', ')}.`);
    }
    const [only, ...others] = connections;
    if (only && others.length === 0) return only;
    return invalidInput(`several repositories are connected (${connections.map(named).join(', ')}); pass repository.`);
  }

  const isConnection = (value: GithubConnection | CallToolResult): value is GithubConnection => 'owner' in value;

  return [
    defineGithubTool({
      name: 'search_github',
      title: 'Search code on GitHub',
      description:
        'Search the code of the workspace\'s connected GitHub repository for relevant files (GitHub code search syntax: words, "exact phrases", language:ts, path:src). ' +
        'Returns matching file paths with links; read one with read_github_file.',
      inputSchema: {
        query: textSchema().trim().min(1).max(256).describe('What to search for'),
        repository: repositoryArgument,
        limit: z.number().int().min(1).max(50).default(10),
      },
      outputSchema: { repository: z.string().describe('owner/repo searched'), ...githubSearchResultSchema.shape },
      annotations: readOnlyOpenWorldTool,
      run: ({ query, repository, limit }) =>
        runTool(async () => {
          const connection = await pickConnection(repository);
          if (!isConnection(connection)) return connection;
          const result = await client.github.search(connection.id, query, { limit });
          return toolResult(
            `${result.totalCount} file(s) in ${connection.owner}/${connection.repo} match "${query}"${result.totalCount > result.items.length ? `; the first ${result.items.length}` : ''}.`,
            result.items,
            { repository: `${connection.owner}/${connection.repo}`, ...result },
          );
        }),
    }),

    defineGithubTool({
      name: 'read_github_file',
      title: 'Read a file on GitHub',
      description:
        "Read a file of the workspace's connected GitHub repository as text, at a branch, tag or commit (the default branch when ref is left out). " +
        'Find paths with search_github. Returns the content (cut at 200,000 characters) and its blob sha.',
      inputSchema: {
        path: textSchema().trim().min(1).max(1_000).describe('The file path, such as src/index.ts'),
        ref: textSchema().trim().min(1).max(250).optional().describe('A branch, tag or commit'),
        repository: repositoryArgument,
      },
      outputSchema: { repository: z.string().describe('owner/repo read'), ...githubFileSchema.shape },
      annotations: readOnlyOpenWorldTool,
      run: ({ path, ref, repository }) =>
        runTool(async () => {
          const connection = await pickConnection(repository);
          if (!isConnection(connection)) return connection;
          const file = await client.github.readFile(connection.id, path, ref ? { ref } : {});
          const where = `${connection.owner}/${connection.repo}/${file.path}${ref ? `@${ref}` : ''}`;
          return toolResult(
            `${where} (${file.size} bytes${file.truncated ? ', truncated' : ''}, sha ${file.sha}):\n\n${file.content}`,
            undefined,
            {
              repository: `${connection.owner}/${connection.repo}`,
              ...file,
            },
          );
        }),
    }),
  ];
}
