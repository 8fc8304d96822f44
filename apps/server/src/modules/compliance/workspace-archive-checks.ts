import type { WorkspaceArchive } from '@mission-control/contracts';

export interface ArchiveProblem {
  path: string;
  message: string;
}

/**
 * What the schema cannot see: ids that repeat or point nowhere, names and numbers that must be
 * unique, dependencies and parents that go round in a circle. An archive with any of these would
 * fail halfway through the restore (or leave a board that cannot move), so it is refused whole.
 */
export function findArchiveProblems(archive: WorkspaceArchive): ArchiveProblem[] {
  const problems: ArchiveProblem[] = [];
  const unique = <Item>(items: readonly Item[], keyOf: (item: Item) => string, where: string, what: string) => {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      const key = keyOf(item);
      if (seen.has(key)) problems.push({ path: `${where}.${index}`, message: `${what} "${key}" appears twice` });
      seen.add(key);
    });
    return seen;
  };
  unique(archive.agents, (agent) => agent.name.toLowerCase(), 'agents', 'the agent name');
  unique(archive.agents, (agent) => agent.sessionKey, 'agents', 'the session key');
  const taskIds = unique(archive.tasks, (task) => task.id, 'tasks', 'the task id');
  unique(archive.tasks, (task) => String(task.number), 'tasks', 'the task number');
  const messageIds = unique(archive.messages, (message) => message.id, 'messages', 'the message id');
  unique(archive.documents, (document) => document.id, 'documents', 'the document id');

  const missingTask = (id: string | null, path: string) => {
    if (id !== null && !taskIds.has(id)) problems.push({ path, message: `no task with id ${id} in the archive` });
  };
  archive.tasks.forEach((task, index) => {
    missingTask(task.parentId, `tasks.${index}.parentId`);
    task.dependsOn.forEach((id, position) => {
      missingTask(id, `tasks.${index}.dependsOn.${position}`);
      if (id === task.id) problems.push({ path: `tasks.${index}.dependsOn.${position}`, message: 'a task cannot depend on itself' });
    });
  });
  archive.messages.forEach((message, index) => {
    missingTask(message.taskId, `messages.${index}.taskId`);
    if (message.replyToId !== null && !messageIds.has(message.replyToId)) {
      problems.push({ path: `messages.${index}.replyToId`, message: `no message with id ${message.replyToId} in the archive` });
    }
  });
  archive.documents.forEach((document, index) => {
    missingTask(document.taskId, `documents.${index}.taskId`);
    unique(document.versions, (version) => String(version.version), `documents.${index}.versions`, 'the version');
    const latest = Math.max(...document.versions.map((version) => version.version));
    if (latest !== document.version) {
      problems.push({
        path: `documents.${index}.version`,
        message: `the document is at version ${document.version} but its last version is ${latest}`,
      });
    }
  });
  if (problems.length > 0) return problems;

  const parentOf = new Map(archive.tasks.map((task) => [task.id, task.parentId]));
  archive.tasks.forEach((task, index) => {
    const seen = new Set<string>([task.id]);
    for (let parent = task.parentId; parent !== null; parent = parentOf.get(parent) ?? null) {
      if (seen.has(parent)) {
        problems.push({ path: `tasks.${index}.parentId`, message: 'the parents go round in a circle' });
        break;
      }
      seen.add(parent);
    }
  });
  const cycle = findDependencyCycle(archive.tasks);
  if (cycle !== undefined) problems.push({ path: `tasks.${cycle}.dependsOn`, message: 'the dependencies go round in a circle' });
  return problems;
}

/** The index of a task on a dependency cycle, or undefined when there is none (iterative DFS). */
function findDependencyCycle(tasks: WorkspaceArchive['tasks']): number | undefined {
  const edges = new Map(tasks.map((task) => [task.id, task.dependsOn]));
  const indexOf = new Map(tasks.map((task, index) => [task.id, index]));
  const state = new Map<string, 'open' | 'done'>();
  for (const task of tasks) {
    if (state.has(task.id)) continue;
    const stack: { id: string; next: number }[] = [{ id: task.id, next: 0 }];
    state.set(task.id, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { id: string; next: number };
      const targets = edges.get(top.id) ?? [];
      if (top.next >= targets.length) {
        state.set(top.id, 'done');
        stack.pop();
        continue;
      }
      const target = targets[top.next] as string;
      top.next += 1;
      if (state.get(target) === 'open') return indexOf.get(target);
      if (!state.has(target)) {
        state.set(target, 'open');
        stack.push({ id: target, next: 0 });
      }
    }
  }
  return undefined;
}
