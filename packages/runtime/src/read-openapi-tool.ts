import type { AgentTool } from '@mission-control/mcp';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { createUrlFetcher, type FetchUrlOptions, FetchUrlRefused } from './fetch-url.js';

const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

/** The parts of an OpenAPI 3 (or Swagger 2) document the summary reads; everything else passes through. */
const operationSchema = z.looseObject({
  operationId: z.string().optional(),
  summary: z.string().optional(),
  description: z.string().optional(),
  deprecated: z.boolean().optional(),
});
// YAML reads an unquoted `version: 1.0` as the number 1 (and `swagger: 2.0` as 2), so numbers are taken as written.
const versionSchema = z.union([z.string(), z.number().transform(String)]).optional();
const openApiSchema = z.looseObject({
  openapi: versionSchema,
  swagger: versionSchema,
  info: z.looseObject({ title: z.string().optional(), version: versionSchema, description: z.string().optional() }).optional(),
  servers: z.array(z.looseObject({ url: z.string() })).optional(),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  components: z.looseObject({ schemas: z.record(z.string(), z.unknown()).optional() }).optional(),
  definitions: z.record(z.string(), z.unknown()).optional(),
});
const schemaShape = z.looseObject({
  type: z.unknown().optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
  required: z.array(z.string()).optional(),
});

/** Endpoints one per line and schemas with their fields: what a model needs to call an API, within a few thousand characters. */
export function summariseOpenApi(document: z.infer<typeof openApiSchema>, maxCharacters = 12_000): string {
  const lines: string[] = [];
  const version = document.openapi ? `OpenAPI ${document.openapi}` : document.swagger ? `Swagger ${document.swagger}` : 'OpenAPI';
  lines.push(`${document.info?.title ?? 'Untitled API'} ${document.info?.version ?? ''} (${version})`.replace(/\s+\(/, ' ('));
  for (const server of document.servers ?? []) lines.push(`Server: ${server.url}`);
  const paths = Object.entries(document.paths ?? {});
  lines.push('', `Endpoints (${paths.reduce((count, [, item]) => count + methods.filter((method) => method in item).length, 0)}):`);
  for (const [path, item] of paths) {
    for (const method of methods) {
      const parsed = operationSchema.safeParse(item[method]);
      if (!(method in item) || !parsed.success) continue;
      const operation = parsed.data;
      const words = operation.summary ?? operation.description?.split('\n')[0] ?? '';
      lines.push(
        `- ${method.toUpperCase()} ${path}${operation.operationId ? ` (${operation.operationId})` : ''}${words ? `: ${words}` : ''}${operation.deprecated ? ' [deprecated]' : ''}`,
      );
    }
  }
  const schemas = Object.entries(document.components?.schemas ?? document.definitions ?? {});
  lines.push('', `Schemas (${schemas.length}):`);
  for (const [name, raw] of schemas) {
    const schema = schemaShape.safeParse(raw);
    const properties = schema.success ? Object.keys(schema.data.properties ?? {}) : [];
    const required = new Set(schema.success ? (schema.data.required ?? []) : []);
    const fields = properties.map((property) => (required.has(property) ? `${property}*` : property));
    lines.push(`- ${name}${fields.length ? `: ${fields.join(', ')}` : ''}`);
  }
  const text = lines.join('\n');
  return text.length > maxCharacters
    ? `${text.slice(0, maxCharacters)}\n… (cut; ask for fewer details or read the document with fetch_url)`
    : text;
}

const yamlTypes = new Set(['application/yaml', 'text/yaml', 'application/x-yaml', 'text/x-yaml']);

type ParsedText = { format: 'JSON' | 'YAML'; value: unknown } | { format: 'YAML'; error: string };

/** YAML when the server or the URL says so, else JSON, falling back to YAML for a body that is not JSON. */
function parseOpenApiText(text: string, contentType: string, url: string): ParsedText {
  const saysYaml = yamlTypes.has(contentType) || /\.ya?ml$/i.test(new URL(url).pathname);
  if (!saysYaml) {
    try {
      return { format: 'JSON', value: JSON.parse(text) };
    } catch {
      // Many servers send YAML as text/plain or application/octet-stream: try it as YAML.
    }
  }
  // The yaml package's default alias limit keeps a "billion laughs" document from expanding without bound.
  const document = parseDocument(text, { prettyErrors: true });
  const [error] = document.errors;
  if (error) return { format: 'YAML', error: error.message.split('\n')[0] ?? error.message };
  try {
    return { format: 'YAML', value: document.toJS() };
  } catch (thrown) {
    return { format: 'YAML', error: thrown instanceof Error ? thrown.message : String(thrown) };
  }
}

/** read_openapi: fetches an OpenAPI document through the same guard as fetch_url and summarises it into endpoints and schemas. */
export function createReadOpenApiTool(options: FetchUrlOptions = {}): AgentTool {
  // The whole document is needed to parse it, so the text is not cut as a page would be (bytes stay bounded).
  const fetchUrl = createUrlFetcher({ maxBytes: 5 * 1_048_576, ...options, maxCharacters: Number.MAX_SAFE_INTEGER });
  return {
    name: 'read_openapi',
    title: 'Read an OpenAPI document',
    description:
      'Fetch an OpenAPI (or Swagger) document in JSON or YAML from a public URL and summarise it: the API title and servers, every endpoint as METHOD path (operationId): summary, ' +
      'and every schema with its fields (* marks required ones). Private and internal addresses are refused, as for fetch_url. Use it before calling an unfamiliar API.',
    inputSchema: {
      url: z
        .string()
        .min(1)
        .max(2_000)
        .describe('The http(s) URL of the OpenAPI document, such as https://api.example.com/openapi.json or …/openapi.yaml'),
    },
    async run(input) {
      try {
        const page = await fetchUrl(String(input.url));
        if (page.status >= 400)
          return { isError: true, content: [{ type: 'text', text: `error: read_openapi got ${page.status} from ${page.url}` }] };
        if (page.truncated) {
          return {
            isError: true,
            content: [{ type: 'text', text: `error: read_openapi: ${page.url} is larger than 5 MiB; find a smaller document` }],
          };
        }
        const parsed = parseOpenApiText(page.text, page.contentType, page.url);
        if ('error' in parsed) {
          return {
            isError: true,
            content: [
              {
                type: 'text',
                text: `error: read_openapi: ${page.url} is neither JSON nor valid YAML (${parsed.error}); check the URL points at the OpenAPI document itself`,
              },
            ],
          };
        }
        const document = openApiSchema.safeParse(parsed.value);
        if (!document.success || (!document.data.openapi && !document.data.swagger) || !document.data.paths) {
          return {
            isError: true,
            content: [
              {
                type: 'text',
                text: `error: read_openapi: ${page.url} is ${parsed.format} but not an OpenAPI document (no openapi and paths)`,
              },
            ],
          };
        }
        return { content: [{ type: 'text', text: `${page.url}\n${summariseOpenApi(document.data)}` }] };
      } catch (error) {
        const reason =
          error instanceof FetchUrlRefused
            ? `refused: ${error.message}`
            : `failed: ${error instanceof Error ? error.message : String(error)}`;
        return { isError: true, content: [{ type: 'text', text: `error: read_openapi ${reason}` }] };
      }
    },
  };
}
