import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTemporaryRepository, type TemporaryRepository } from '../test/temporary-repository.js';
import { agentCommitAuthor, checkRepository, commitWorktree, prepareWorktree } from './worktree.js';

describe('task worktrees', () => {
  let repository: TemporaryRepository;
  beforeEach(() => {
    repository = createTemporaryRepository();
  });
  afterEach(() => repository.remove());

  it('makes <repo>/.mission/worktrees/<KEY> on mission/<key> from HEAD, once, and keeps .mission out of git status', async () => {
    const head = repository.git('rev-parse', 'HEAD').trim();
    const first = await prepareWorktree({ repositoryPath: repository.path, taskKey: 'TASK-7', environment: repository.environment });
    expect(first).toEqual({
      path: path.join(repository.path, '.mission', 'worktrees', 'TASK-7'),
      branch: 'mission/task-7',
      created: true,
      base: 'HEAD',
    });
    expect(repository.git('-C', first.path, 'rev-parse', 'HEAD').trim()).toBe(head);
    expect(fs.readFileSync(path.join(first.path, 'README.md'), 'utf8')).toContain('Test repository');
    const again = await prepareWorktree({ repositoryPath: repository.path, taskKey: 'TASK-7', environment: repository.environment });
    expect(again).toMatchObject({ path: first.path, branch: 'mission/task-7', created: false });
    expect(repository.git('status', '--porcelain')).toBe('');
  });

  it("starts a subtask's branch from its parent's branch when there is one", async () => {
    const parent = await prepareWorktree({ repositoryPath: repository.path, taskKey: 'TASK-1', environment: repository.environment });
    fs.writeFileSync(path.join(parent.path, 'plan.md'), 'the plan\n');
    const author = agentCommitAuthor({ id: 'AGENT1', name: 'builder' });
    await commitWorktree({
      repositoryPath: repository.path,
      worktreePath: parent.path,
      author,
      message: 'TASK-1: plan',
      environment: repository.environment,
    });
    const child = await prepareWorktree({
      repositoryPath: repository.path,
      taskKey: 'TASK-2',
      parentTaskKey: 'TASK-1',
      environment: repository.environment,
    });
    expect(child.base).toBe('mission/task-1');
    expect(fs.readFileSync(path.join(child.path, 'plan.md'), 'utf8')).toBe('the plan\n');
  });

  it('commits every change with the agent as the author, and nothing when nothing changed', async () => {
    const worktree = await prepareWorktree({ repositoryPath: repository.path, taskKey: 'TASK-3', environment: repository.environment });
    const author = agentCommitAuthor({ id: '01ABC', name: 'coder' });
    const options = { repositoryPath: repository.path, worktreePath: worktree.path, author, environment: repository.environment };
    expect(await commitWorktree({ ...options, message: 'nothing' })).toBeNull();
    fs.writeFileSync(path.join(worktree.path, 'new.txt'), 'new\n');
    fs.appendFileSync(path.join(worktree.path, 'README.md'), 'line four\n');
    const commit = await commitWorktree({ ...options, message: 'TASK-3: change things\n\nWork of coder.' });
    expect(commit).toMatchObject({ branch: 'mission/task-3', filesChanged: 2 });
    expect(commit?.diffStat).toContain('2 files changed');
    expect(repository.git('log', '-1', '--format=%an <%ae>|%s', 'mission/task-3').trim()).toBe(
      'coder <01abc@agents.mission-control.invalid>|TASK-3: change things',
    );
    expect(repository.git('rev-parse', 'mission/task-3').trim()).toBe(commit?.commit);
    // The main checkout is untouched.
    expect(repository.git('status', '--porcelain')).toBe('');
    expect(repository.git('rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('main');
  });

  it('refuses a worktree whose .git was rewritten to point elsewhere', async () => {
    const worktree = await prepareWorktree({ repositoryPath: repository.path, taskKey: 'TASK-4', environment: repository.environment });
    const other = createTemporaryRepository();
    try {
      fs.writeFileSync(path.join(worktree.path, '.git'), `gitdir: ${path.join(other.path, '.git')}\n`);
      fs.writeFileSync(path.join(worktree.path, 'x.txt'), 'x\n');
      await expect(
        commitWorktree({
          repositoryPath: repository.path,
          worktreePath: worktree.path,
          author: agentCommitAuthor({ id: 'A', name: 'a' }),
          message: 'm',
          environment: repository.environment,
        }),
      ).rejects.toThrow(/no longer belongs/);
      expect(other.git('log', '--format=%s').trim()).toBe('first commit');
    } finally {
      other.remove();
    }
  });

  it('says in plain words why a folder cannot hold worktrees', async () => {
    expect(await checkRepository(repository.path, repository.environment)).toBeNull();
    expect(await checkRepository(path.join(repository.path, 'missing'), repository.environment)).toMatch(/does not exist/);
    expect(await checkRepository(path.join(repository.path, 'README.md'), repository.environment)).toMatch(/is a file/);
    fs.mkdirSync(path.join(repository.path, 'sub'));
    expect(await checkRepository(path.join(repository.path, 'sub'), repository.environment)).toMatch(/name its top folder/);
    const bare = path.join(path.dirname(repository.path), 'plain-folder');
    fs.mkdirSync(bare);
    expect(await checkRepository(bare, repository.environment)).toMatch(/not a git repository/);
    const empty = path.join(path.dirname(repository.path), 'empty-repository');
    fs.mkdirSync(empty);
    repository.git('-C', empty, 'init', '--quiet');
    expect(await checkRepository(empty, repository.environment)).toMatch(/no commit yet/);
  });
});
