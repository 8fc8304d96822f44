import type { Agent } from '@mission-control/contracts';
import { describe, expect, it } from 'vitest';
import { type AgentRecord, scoreAgentsForTask } from './assignment-scoring.js';

function agent(name: string, overrides: Partial<Agent> = {}): Agent {
  return {
    id: `00000000-0000-7000-8000-${name.padStart(12, '0').slice(-12)}`,
    workspaceId: '00000000-0000-7000-8000-000000000000',
    name,
    role: 'specialist',
    kind: 'specialist',
    status: 'idle',
    sessionKey: `agent:specialist:${name}`,
    capabilities: [],
    memoryContext: '',
    heartbeatIntervalSeconds: 60,
    concurrencyLimit: 2,
    a2a: { published: false },
    lastHeartbeatAt: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

const idle: AgentRecord = { openTasks: 0, similarDone: 0, similarFailed: 0, medianHoursToDone: null };

describe('scoreAgentsForTask', () => {
  it('ranks only agents with every required capability as eligible', () => {
    const writer = agent('writer', { capabilities: ['writing'] });
    const researcher = agent('researcher', { capabilities: ['research', 'writing'] });
    const ranked = scoreAgentsForTask({ requiredCapabilities: ['research'] }, [writer, researcher], new Map(), null);
    expect(ranked.map((candidate) => [candidate.name, candidate.eligible])).toEqual([
      ['researcher', true],
      ['writer', false],
    ]);
    expect(ranked[0]?.reasons).toContain('has 1/1 required capabilities');
  });

  it('prefers the less loaded agent, and never one at its concurrency limit', () => {
    const busy = agent('busy', { capabilities: ['code'] });
    const free = agent('free', { capabilities: ['code'] });
    const full = agent('full', { capabilities: ['code'], concurrencyLimit: 1 });
    const records = new Map([
      [busy.id, { ...idle, openTasks: 1 }],
      [full.id, { ...idle, openTasks: 1 }],
    ]);
    const ranked = scoreAgentsForTask({ requiredCapabilities: ['code'] }, [busy, free, full], records, null);
    expect(ranked.map((candidate) => candidate.name)).toEqual(['free', 'busy', 'full']);
    expect(ranked[2]).toMatchObject({ eligible: false, reasons: expect.arrayContaining(['at its concurrency limit']) });
    expect(ranked[0]?.score).toBe(50 + 20 + 10 + 5);
    expect(ranked[1]?.score).toBe(50 + 10 + 10 + 5);
  });

  it('rewards success and speed on similar tasks', () => {
    const reliable = agent('reliable', { capabilities: ['code'] });
    const flaky = agent('flaky', { capabilities: ['code'] });
    const records = new Map([
      [reliable.id, { ...idle, similarDone: 4, similarFailed: 0, medianHoursToDone: 1 }],
      [flaky.id, { ...idle, similarDone: 1, similarFailed: 3, medianHoursToDone: 8 }],
    ]);
    const ranked = scoreAgentsForTask({ requiredCapabilities: ['code'] }, [flaky, reliable], records, 2);
    expect(ranked.map((candidate) => candidate.name)).toEqual(['reliable', 'flaky']);
    // Twice as fast as the median: full speed points; four times slower: none.
    expect(ranked[0]?.score).toBe(50 + 20 + 20 + 10);
    expect(ranked[1]?.score).toBe(50 + 20 + 5 + 0);
  });

  it('is deterministic: equal scores are ordered by name, leads and reviewers are not eligible, offline agents come last', () => {
    const agents = [agent('zed'), agent('amy'), agent('lead', { kind: 'lead' }), agent('away', { status: 'offline' })];
    const first = scoreAgentsForTask({ requiredCapabilities: [] }, agents, new Map(), null);
    const second = scoreAgentsForTask({ requiredCapabilities: [] }, [...agents].reverse(), new Map(), null);
    expect(first).toEqual(second);
    expect(first.map((candidate) => candidate.name)).toEqual(['amy', 'zed', 'away', 'lead']);
  });
});
