import type { Agent, Message, Task } from '@mission-control/contracts';

/** What the first run of a task is told. */
export interface TaskPromptInput {
  agent: Agent;
  task: Task;
  parent: Task | null;
  thread: readonly Message[];
  documents: readonly { title: string; content: string }[];
  workingMarkdown: string;
  instructions: string;
  branch: string;
  testCommand: string | undefined;
}

const maxThreadMessages = 30;
const maxDocumentCharacters = 4_000;
const maxWorkingCharacters = 6_000;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}\n…` : text;
}

function authorOf(message: Message, agent: Agent): string {
  if (message.author.kind === 'agent' && message.author.id === agent.id) return 'you';
  return `${message.author.kind} ${message.author.id.slice(0, 8)}`;
}

/** Lines of a thread, oldest first. */
export function renderThread(messages: readonly Message[], agent: Agent): string {
  return messages
    .slice(-maxThreadMessages)
    .map((message) => `- [${message.type}] ${authorOf(message, agent)} (${message.createdAt}): ${message.content}`)
    .join('\n');
}

/** The prompt of a task's first run: the task, its thread, linked documents, WORKING.md, the agent's instructions and memory. */
export function renderTaskPrompt(input: TaskPromptInput): string {
  const { agent, task } = input;
  const sections = [
    `# ${task.key}: ${task.title}`,
    `You are ${agent.name} (${agent.role}), an agent of a Mission Control squad. You work in a git worktree of the repository, on branch ${input.branch}. Make the change this task asks for in this directory. Do not push and do not switch branches: when you finish, the runner commits what you changed, posts the diff on the task and moves it to review.${input.testCommand ? ` The runner then runs \`${input.testCommand}\`; make it pass.` : ''}`,
    `## Description\n${task.description || '(no description)'}`,
  ];
  if (input.parent) sections.push(`## Part of ${input.parent.key}: ${input.parent.title}\n${clip(input.parent.description, 2_000)}`);
  if (input.thread.length) sections.push(`## Thread\n${renderThread(input.thread, agent)}`);
  for (const document of input.documents) sections.push(`## Document: ${document.title}\n${clip(document.content, maxDocumentCharacters)}`);
  if (input.instructions) sections.push(`## Instructions\n${input.instructions}`);
  if (agent.memoryContext) sections.push(`## Memory\n${agent.memoryContext}`);
  if (input.workingMarkdown) sections.push(`## WORKING.md\n${clip(input.workingMarkdown, maxWorkingCharacters)}`);
  return sections.join('\n\n');
}

/** A follow-up run's prompt: what was said on the task since the last run. */
export function renderFollowUpPrompt(task: Task, agent: Agent, newMessages: readonly Message[]): string {
  return [
    `# ${task.key}: ${task.title} — follow-up`,
    'There is news on the task since your last run. Continue the work in this worktree and address it.',
    `## New messages\n${renderThread(newMessages, agent) || '(none)'}`,
  ].join('\n\n');
}

/** The prompt after failing tests: the command, its exit code and the end of its output. */
export function renderTestFailurePrompt(task: Task, command: string, exitCode: number | null, outputTail: string, attempt: number): string {
  return [
    `# ${task.key}: the tests failed (attempt ${attempt})`,
    `\`${command}\` ended with ${exitCode === null ? 'a timeout' : `exit code ${exitCode}`}. Fix the code so that it passes. The end of its output:`,
    `\`\`\`\n${outputTail}\n\`\`\``,
  ].join('\n\n');
}
