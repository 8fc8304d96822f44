// Board tasks, thread messages and documents as the Agent2Agent protocol's objects (A2A v1.0).
import {
  type Artifact as A2aArtifact,
  type Message as A2aMessage,
  type Part as A2aPart,
  type Task as A2aTask,
  type TaskStatus as A2aTaskStatus,
  Role,
  TaskState,
} from '@a2a-js/sdk';
import type { Document, Message, PrincipalReference, Task, TaskStatus } from '@mission-control/contracts';

/** The A2A state of each board status: blocked work waits for the requester's answer. */
export const a2aStateOfStatus: Record<TaskStatus, TaskState> = {
  inbox: TaskState.TASK_STATE_SUBMITTED,
  assigned: TaskState.TASK_STATE_SUBMITTED,
  in_progress: TaskState.TASK_STATE_WORKING,
  review: TaskState.TASK_STATE_WORKING,
  blocked: TaskState.TASK_STATE_INPUT_REQUIRED,
  done: TaskState.TASK_STATE_COMPLETED,
  failed: TaskState.TASK_STATE_FAILED,
  cancelled: TaskState.TASK_STATE_CANCELED,
};

const terminalStates: ReadonlySet<TaskState> = new Set([
  TaskState.TASK_STATE_COMPLETED,
  TaskState.TASK_STATE_FAILED,
  TaskState.TASK_STATE_CANCELED,
  TaskState.TASK_STATE_REJECTED,
]);

/** Whether nothing more happens to a task in this state (a stream that reaches it ends). */
export function isTerminalState(state: TaskState): boolean {
  return terminalStates.has(state);
}

/** A stream also ends when the task waits on the requester: the answer is a new request. */
export function isInterruptedState(state: TaskState): boolean {
  return state === TaskState.TASK_STATE_INPUT_REQUIRED || state === TaskState.TASK_STATE_AUTH_REQUIRED;
}

export function textPart(text: string, mediaType = 'text/plain'): A2aPart {
  return { content: { $case: 'text', value: text }, metadata: undefined, filename: '', mediaType };
}

/**
 * The text of a message's parts, one paragraph each: text as it is, structured data as JSON, a
 * file by its URL. Bytes sent inline are named, not kept: the board holds text.
 */
export function textOfParts(parts: readonly A2aPart[]): string {
  const paragraphs = parts.map((part) => {
    const content = part.content;
    if (!content) return '';
    switch (content.$case) {
      case 'text':
        return content.value;
      case 'data':
        return `\`\`\`json\n${JSON.stringify(content.value, null, 2)}\n\`\`\``;
      case 'url':
        return part.filename ? `[${part.filename}](${content.value})` : content.value;
      case 'raw':
        return `(${part.filename || 'a file'} of ${content.value.length} bytes was sent inline; send it as a URL to attach it)`;
      default:
        return '';
    }
  });
  return paragraphs
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '')
    .join('\n\n');
}

function samePrincipal(left: PrincipalReference, right: PrincipalReference): boolean {
  return left.kind === right.kind && left.id === right.id;
}

/** A thread message as an A2A message: the requester's as the user's, everyone else's as the agent's. */
export function toA2aMessage(message: Message, contextId: string, requester: PrincipalReference): A2aMessage {
  return {
    messageId: message.id,
    contextId,
    taskId: message.taskId,
    role: samePrincipal(message.author, requester) ? Role.ROLE_USER : Role.ROLE_AGENT,
    parts: [textPart(message.content, 'text/markdown')],
    metadata: { type: message.type, createdAt: message.createdAt },
    extensions: [],
    referenceTaskIds: [],
  };
}

/** A document linked to the task, as an artifact in Markdown. */
export function documentArtifact(document: Document): A2aArtifact {
  return {
    artifactId: `document-${document.id}`,
    name: document.title,
    description: `Version ${document.version} of a document on the task`,
    parts: [textPart(document.content, 'text/markdown')],
    metadata: { documentId: document.id, version: document.version },
    extensions: [],
  };
}

/** The last word of whoever did the work, as an artifact of a finished task. */
export function finalMessageArtifact(message: Message): A2aArtifact {
  return {
    artifactId: 'final-message',
    name: 'Final message',
    description: 'The last message on the task’s thread from the squad',
    parts: [textPart(message.content, 'text/markdown')],
    metadata: { messageId: message.id },
    extensions: [],
  };
}

/** The last message on the thread not written by the requester (the squad's last word), if any. */
export function lastSquadMessage(messages: readonly Message[], requester: PrincipalReference): Message | undefined {
  return messages.findLast((message) => !samePrincipal(message.author, requester));
}

export interface A2aTaskView {
  task: Task;
  contextId: string;
  requester: PrincipalReference;
  /** The thread, oldest first. */
  messages: readonly Message[];
  documents: readonly Document[];
}

/** The task's A2A status: its state, and for work waiting on the requester, the squad's question. */
export function toA2aStatus(view: A2aTaskView): A2aTaskStatus {
  const state = a2aStateOfStatus[view.task.status];
  const question = isInterruptedState(state) ? lastSquadMessage(view.messages, view.requester) : undefined;
  return {
    state,
    message: question ? toA2aMessage(question, view.contextId, view.requester) : undefined,
    timestamp: view.task.updatedAt,
  };
}

/** What a task produced: its documents, and once done, the squad's final message. */
export function toA2aArtifacts(view: A2aTaskView): A2aArtifact[] {
  const artifacts = view.documents.map(documentArtifact);
  const last = view.task.status === 'done' ? lastSquadMessage(view.messages, view.requester) : undefined;
  if (last) artifacts.push(finalMessageArtifact(last));
  return artifacts;
}

/** A board task as an A2A task; historyLength keeps only the newest messages (0: none). */
export function toA2aTask(view: A2aTaskView, historyLength?: number): A2aTask {
  const history = view.messages.map((message) => toA2aMessage(message, view.contextId, view.requester));
  return {
    id: view.task.id,
    contextId: view.contextId,
    status: toA2aStatus(view),
    artifacts: toA2aArtifacts(view),
    history: historyLength === undefined ? history : historyLength <= 0 ? [] : history.slice(-historyLength),
    metadata: { key: view.task.key, title: view.task.title, boardStatus: view.task.status },
  };
}
