import type { AgentTool } from '@mission-control/mcp';
import { z } from 'zod';
import { createUrlFetcher, type FetchUrlOptions, FetchUrlRefused } from './fetch-url.js';

/** fetch_url as an agent tool, in the same shape as the shared MCP tool definitions. */
export function createFetchUrlTool(options: FetchUrlOptions = {}): AgentTool {
  const fetchUrl = createUrlFetcher(options);
  return {
    name: 'fetch_url',
    title: 'Fetch a web page',
    description:
      'Read a public web page (documentation, a specification, an article) as plain text. Only http and https; private and internal addresses are refused. ' +
      'Long pages are cut. Returns the final URL, the status, the page title and its text.',
    inputSchema: { url: z.string().min(1).max(2_000).describe('An http(s) URL') },
    async run(input) {
      try {
        const page = await fetchUrl(String(input.url));
        const header = `${page.url} — ${page.status} ${page.contentType}${page.truncated ? ' (cut)' : ''}${page.title ? `\nTitle: ${page.title}` : ''}`;
        return { content: [{ type: 'text', text: `${header}\n\n${page.text}` }], ...(page.status >= 400 ? { isError: true } : {}) };
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
