import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';

/**
 * The MCP tool annotations, by what a tool does to Mission Control. openWorldHint is false for
 * every tool that only talks to this server; the GitHub tools reach an outside service.
 */
export const readOnlyTool: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

/** Adds something (a message, a task, a version, a memory); calling it twice adds two. */
export const additiveTool: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false };

/** Sets state without losing anything (a heartbeat, read marks); a repeat changes nothing more. */
export const idempotentTool: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false };

/** Replaces or removes something (a status, the notes, a memory, a link); a repeat changes nothing more. */
export const destructiveTool: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false };

/** Reads from an outside service (GitHub) through the server. */
export const readOnlyOpenWorldTool: ToolAnnotations = { ...readOnlyTool, openWorldHint: true };
