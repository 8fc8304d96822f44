import type { AgentTool } from '@mission-control/mcp';
import type { MissionControl } from '@mission-control/sdk';
import { z } from 'zod';
import { createUrlFetcher, type FetchedPage, type FetchUrlOptions, FetchUrlRefused } from './fetch-url.js';

/**
 * A kept page as a research document: a front-matter header with its source URL and fetch time
 * (documents have no metadata fields), then its title and text.
 */
export function researchDocumentContent(page: FetchedPage, title: string, fetchedAt: Date): string {
  const header = ['---', `source: ${page.url}`, `fetched: ${fetchedAt.toISOString()}`];
  if (page.truncated) header.push('cut: true');
  return `${header.join('\n')}\n---\n\n# ${title}\n\n${page.text}\n`;
}

/**
 * fetch_url as an agent tool, in the same shape as the shared MCP tool definitions. Given the
 * agent's client, `keep: true` also stores the page as a `research` document in the knowledge base.
 */
export function createFetchUrlTool(options: FetchUrlOptions = {}, client?: MissionControl): AgentTool {
  const fetchUrl = createUrlFetcher(options);
  const now = options.now ?? Date.now;
  const inputSchema: AgentTool['inputSchema'] = {
    url: z.string().min(1).max(2_000).describe('An http(s) URL'),
    ...(client
      ? {
          keep: z
            .boolean()
            .optional()
            .describe('Also keep the page as a research document of the workspace, with its source URL and fetch time'),
          title: z.string().trim().min(1).max(300).optional().describe('The kept document’s title; the page title by default'),
        }
      : {}),
  };
  return {
    name: 'fetch_url',
    title: 'Fetch a web page',
    description:
      'Read a public web page (documentation, a specification, an article) as plain text. Only http and https; private and internal addresses are refused. ' +
      `Long pages are cut. Returns the final URL, the status, the page title and its text.${
        client ? ' With keep: true the page is also stored as a research document (its id is given) that every agent can read later.' : ''
      }`,
    inputSchema,
    async run(input) {
      try {
        const page = await fetchUrl(String(input.url));
        const header = `${page.url} — ${page.status} ${page.contentType}${page.truncated ? ' (cut)' : ''}${page.title ? `\nTitle: ${page.title}` : ''}`;
        if (page.status >= 400) return { isError: true, content: [{ type: 'text', text: `${header}\n\n${page.text}` }] };
        let kept = '';
        if (client && input.keep === true) {
          const title = (typeof input.title === 'string' && input.title.trim()) || page.title || page.url;
          const document = await client.documents.create({
            title: title.slice(0, 300),
            type: 'research',
            content: researchDocumentContent(page, title, new Date(now())),
          });
          kept = `\nKept as research document ${document.id} "${document.title}" (read it with read_document).`;
        }
        return { content: [{ type: 'text', text: `${header}${kept}\n\n${page.text}` }] };
      } catch (error) {
        const reason =
          error instanceof FetchUrlRefused
            ? `refused: ${error.message}`
            : `failed: ${error instanceof Error ? error.message : String(error)}`;
        return { isError: true, content: [{ type: 'text', text: `error: fetch_url ${reason}` }] };
      }
    },
  };
}
