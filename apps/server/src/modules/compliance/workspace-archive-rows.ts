import type { ArchivedPrincipal, PrincipalReference, WorkspaceArchive } from '@mission-control/contracts';
import { createId } from '../../core/ids.js';
import type { ArchiveRows } from './workspace-archive.repository.js';

/** Every row of the archive with new ids, references remapped; people become the importer. */
export function toArchiveRows(archive: WorkspaceArchive, workspaceId: string, importer: PrincipalReference, now: string): ArchiveRows {
  const utc = (at: string) => new Date(at).toISOString();
  const agentIds = new Map(archive.agents.map((agent) => [agent.name.toLowerCase(), createId()]));
  const taskIds = new Map(archive.tasks.map((task) => [task.id, createId()]));
  const messageIds = new Map(archive.messages.map((message) => [message.id, createId()]));
  const resolve = (principal: ArchivedPrincipal): PrincipalReference => {
    const agentId = principal.kind === 'agent' ? agentIds.get(principal.name.toLowerCase()) : undefined;
    return agentId ? { kind: 'agent', id: agentId } : importer;
  };
  const newTask = (id: string) => taskIds.get(id) as string;
  const rows: ArchiveRows = {
    agents: [],
    runtimes: [],
    tasks: [],
    taskParents: [],
    assignees: [],
    dependencies: [],
    capabilities: [],
    messages: [],
    messageReplies: [],
    reactions: [],
    documents: [],
    versions: [],
  };
  for (const agent of archive.agents) {
    const id = agentIds.get(agent.name.toLowerCase()) as string;
    rows.agents.push({
      id,
      workspace_id: workspaceId,
      name: agent.name,
      name_key: agent.name.toLowerCase(),
      role: agent.role,
      // A remote agent's card and key are not in the archive: it comes back as a local specialist.
      kind: agent.kind === 'remote' ? 'specialist' : agent.kind,
      status: 'offline',
      session_key: agent.sessionKey,
      capabilities: JSON.stringify([...new Set(agent.capabilities)]),
      memory_context: agent.memoryContext,
      heartbeat_interval_seconds: agent.heartbeatIntervalSeconds,
      concurrency_limit: agent.concurrencyLimit,
      a2a_published: 0,
      last_heartbeat_at: null,
      created_at: utc(agent.createdAt),
      updated_at: now,
      deleted_at: null,
      presence_deadline_at: null,
    });
    if (agent.runtime) {
      const builtin = agent.runtime.runtime === 'builtin';
      rows.runtimes.push({
        agent_id: id,
        workspace_id: workspaceId,
        runtime: agent.runtime.runtime,
        provider: agent.runtime.provider,
        model: agent.runtime.model,
        temperature: agent.runtime.temperature,
        step_limit: agent.runtime.stepLimit,
        instructions: agent.runtime.instructions,
        // No key travels: a built-in agent is issued one on its first turn.
        credential: null,
        state: 'idle',
        next_run_at: builtin ? now : null,
        failures: 0,
        updated_at: now,
        workspace: null,
      });
    }
  }
  for (const task of archive.tasks) {
    const id = newTask(task.id);
    const creator = resolve(task.creator);
    rows.tasks.push({
      id,
      workspace_id: workspaceId,
      number: task.number,
      title: task.title,
      description: task.description,
      status: task.status,
      priority: task.priority,
      priority_rank: task.priorityRank,
      creator_kind: creator.kind,
      creator_id: creator.id,
      parent_id: null,
      due_at: task.dueAt === null ? null : utc(task.dueAt),
      created_at: utc(task.createdAt),
      updated_at: utc(task.updatedAt),
      completed_at: task.completedAt === null ? null : utc(task.completedAt),
      lease_token: null,
      lease_holder_kind: null,
      lease_holder_id: null,
      lease_expires_at: null,
      lease_seconds: null,
    });
    if (task.parentId) rows.taskParents.push({ id, parentId: newTask(task.parentId) });
    const assigned = new Set<string>();
    for (const assignee of task.assignees) {
      // An agent no longer in the archive, or a person, stays unassigned rather than becoming the importer's work.
      const agentId = assignee.kind === 'agent' ? agentIds.get(assignee.name.toLowerCase()) : undefined;
      if (!agentId || assigned.has(agentId)) continue;
      assigned.add(agentId);
      rows.assignees.push({ task_id: id, workspace_id: workspaceId, assignee_kind: 'agent', assignee_id: agentId, assigned_at: now });
    }
    for (const dependsOn of new Set(task.dependsOn)) {
      rows.dependencies.push({ task_id: id, depends_on_id: newTask(dependsOn), workspace_id: workspaceId });
    }
    for (const capability of new Set(task.capabilities)) rows.capabilities.push({ task_id: id, capability });
  }
  for (const message of archive.messages) {
    const id = messageIds.get(message.id) as string;
    const author = resolve(message.author);
    rows.messages.push({
      id,
      workspace_id: workspaceId,
      task_id: newTask(message.taskId),
      author_kind: author.kind,
      author_id: author.id,
      content: message.content,
      type: message.type,
      reply_to_id: null,
      attachments: JSON.stringify(message.attachments),
      created_at: utc(message.createdAt),
    });
    if (message.replyToId) rows.messageReplies.push({ id, replyToId: messageIds.get(message.replyToId) as string });
    const reacted = new Set<string>();
    for (const reaction of message.reactions) {
      const reactor = resolve(reaction.reactor);
      const key = `${reaction.emoji}:${reactor.kind}:${reactor.id}`;
      if (reacted.has(key)) continue;
      reacted.add(key);
      rows.reactions.push({
        id: createId(),
        message_id: id,
        workspace_id: workspaceId,
        emoji: reaction.emoji,
        reactor_kind: reactor.kind,
        reactor_id: reactor.id,
        created_at: utc(reaction.createdAt),
      });
    }
  }
  for (const document of archive.documents) {
    const id = createId();
    const author = resolve(document.author);
    rows.documents.push({
      id,
      workspace_id: workspaceId,
      task_id: document.taskId === null ? null : newTask(document.taskId),
      title: document.title,
      content: document.content,
      type: document.type,
      author_kind: author.kind,
      author_id: author.id,
      version: document.version,
      created_at: utc(document.createdAt),
      updated_at: utc(document.updatedAt),
    });
    for (const version of document.versions) {
      const versionAuthor = resolve(version.author);
      rows.versions.push({
        document_id: id,
        version: version.version,
        workspace_id: workspaceId,
        title: version.title,
        content: version.content,
        type: version.type,
        author_kind: versionAuthor.kind,
        author_id: versionAuthor.id,
        created_at: utc(version.createdAt),
      });
    }
  }
  return rows;
}
