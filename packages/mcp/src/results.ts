import { isMissionControlError } from '@mission-control/sdk';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/**
 * A successful tool result: a one-line summary the model reads first, then the data as JSON.
 * With `structured`, the result also carries it as structuredContent, which MCP clients check
 * against the tool's outputSchema; the text stays for clients and models that read only text.
 */
export function toolResult(summary: string, data?: unknown, structured?: Record<string, unknown>): CallToolResult {
  const text = data === undefined ? summary : `${summary}\n\n${JSON.stringify(data, null, 2)}`;
  return { content: [{ type: 'text', text }], ...(structured ? { structuredContent: structured } : {}) };
}

/** Hints that tell a model how to recover from the errors it is most likely to cause. */
const hints: Record<string, string> = {
  LEASE_REQUIRED: 'Claim the task first (claim_task or claim_next_task); update_task_status then presents the lease for you.',
  LEASE_CONFLICT: 'Another agent holds this task now. Call list_my_tasks or claim_next_task to find other work.',
  LEASE_EXPIRED: 'Your lease ran out. Claim the task again with claim_task, then retry.',
  TASK_ALREADY_CLAIMED: 'Someone else is working on it. Pick another task with claim_next_task.',
  TASK_INVALID_TRANSITION: 'Read the task (read_task) to see its current status, then choose a status that may follow it.',
  PRECONDITION_FAILED:
    'WORKING.md changed since you read it. Call read_working_state, merge your change into the new notes, and retry with the new version.',
  DOCUMENT_VERSION_CONFLICT: 'The document changed since you read it. Call read_document, merge, and retry with the new baseVersion.',
  VALIDATION_FAILED: 'Fix the arguments named in the details and call the tool again.',
  TASK_NOT_FOUND: 'Check the task id or key (such as TASK-7) with list_my_tasks.',
};

/** A tool error the model can act on: the server's code and message, the details, and a hint. Never throws. */
export function toolError(error: unknown): CallToolResult {
  if (isMissionControlError(error)) {
    const lines = [`error ${error.code}: ${error.message}`];
    if (error.details !== undefined) lines.push(`details: ${JSON.stringify(error.details)}`);
    const hint = hints[error.code];
    if (hint) lines.push(`what to do: ${hint}`);
    return { isError: true, content: [{ type: 'text', text: lines.join('\n') }] };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { isError: true, content: [{ type: 'text', text: `error: ${message}` }] };
}

/** Runs a tool body and turns any failure into a tool error. */
export async function runTool(body: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await body();
  } catch (error) {
    return toolError(error);
  }
}

/** A tool error for arguments that do not fit together (the schema cannot say it). */
export function invalidInput(message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: `error VALIDATION_FAILED: ${message}` }] };
}
