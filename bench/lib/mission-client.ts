import { cloneRows, newApiKey, ownerEmail, ownerPassword, type SqlRunner, uuidv7 } from './bench-database.js';

export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

export async function call(
  baseUrl: string,
  method: string,
  route: string,
  credential: string | undefined,
  body?: unknown,
): Promise<Answer> {
  const response = await fetch(`${baseUrl}${route}`, {
    method,
    headers: {
      ...(credential ? { authorization: `Bearer ${credential}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

export async function expectCall(baseUrl: string, method: string, route: string, credential: string | undefined, body?: unknown) {
  const answer = await call(baseUrl, method, route, credential, body);
  if (answer.status >= 300) throw new Error(`${method} ${route} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

export async function signIn(baseUrl: string): Promise<string> {
  const session = await expectCall(baseUrl, 'POST', '/api/v1/auth/login', undefined, { email: ownerEmail, password: ownerPassword });
  return session.accessToken as string;
}

export interface SeededAgent {
  id: string;
  apiKey: string;
}

/** One agent made through the API (so every column is right), then `count` copies inserted directly with keys of their own. */
export async function seedAgents(
  baseUrl: string,
  ownerToken: string,
  runner: SqlRunner,
  count: number,
  overrides: Record<string, unknown> = {},
): Promise<SeededAgent[]> {
  const template = await expectCall(baseUrl, 'POST', '/api/v1/agents', ownerToken, {
    name: `template-${Math.random().toString(36).slice(2, 8)}`,
    role: 'specialist',
  });
  const templateKey = await expectCall(baseUrl, 'POST', `/api/v1/agents/${template.id}/api-keys`, ownerToken, { name: 'bench' });
  for (const [column, value] of Object.entries(overrides)) {
    await runner.query(`update agents set ${column} = ${runner.placeholder(1)} where id = ${runner.placeholder(2)}`, [value, template.id]);
  }
  if (count <= 1) return [{ id: template.id as string, apiKey: templateKey.secret as string }];
  const [agentRow] = await runner.query(`select * from agents where id = ${runner.placeholder(1)}`, [template.id]);
  const [keyRow] = await runner.query(`select * from api_keys where owner_id = ${runner.placeholder(1)}`, [template.id]);
  if (!agentRow || !keyRow) throw new Error('the template agent was not found in the database');
  const agents = Array.from({ length: count - 1 }, () => ({ id: uuidv7(), key: newApiKey() }));
  await cloneRows(runner, 'agents', agentRow, agents.length, (row, index) => ({
    id: agents[index]?.id,
    name: `${row.name}-${index}`,
    name_key: `${row.name_key}-${index}`,
    session_key: `${row.session_key}-${index}`,
    ...overrides,
  }));
  await cloneRows(runner, 'api_keys', keyRow, agents.length, (_row, index) => ({
    id: uuidv7(),
    owner_id: agents[index]?.id,
    prefix: agents[index]?.key.prefix,
    secret_hash: agents[index]?.key.hash,
  }));
  return [
    { id: template.id as string, apiKey: templateKey.secret as string },
    ...agents.map((agent) => ({ id: agent.id, apiKey: agent.key.secret })),
  ];
}

/** One task made through the API, then `count` inbox copies inserted directly (the backlog), numbered after it. */
/**
 * Numbers for seeded tasks that no request takes, reserved atomically: requests still in flight (a
 * load run just ended) take numbers too. A server that numbers from the workspace's sequence
 * (decision 0027, PostgreSQL) has called it for the template task; an older build counts on the
 * workspace row.
 */
async function reserveTaskNumbers(runner: SqlRunner, template: Record<string, unknown>, count: number): Promise<number[]> {
  const workspaceId = String(template.workspace_id);
  if (runner.engine === 'postgres') {
    const sequence = `task_numbers_${workspaceId.toLowerCase().replace(/[^a-z0-9]/g, '')}`;
    const [state] = await runner.query(
      `select to_regclass($1) is not null as present, (select last_value is not null from pg_sequences where schemaname = current_schema() and sequencename = $1) as called`,
      [sequence],
    );
    if (state?.present && state.called) {
      const rows = await runner.query('select nextval($1::regclass) as number from generate_series(1, $2)', [sequence, count]);
      return rows.map((row) => Number(row.number));
    }
  }
  const [reserved] = await runner.query(
    `update workspaces set task_counter = task_counter + ${runner.placeholder(1)} where id = ${runner.placeholder(2)} returning task_counter`,
    [count, workspaceId],
  );
  const firstNumber = Number(reserved?.task_counter) - count + 1;
  return Array.from({ length: count }, (_, index) => firstNumber + index);
}

export async function seedTasks(baseUrl: string, ownerToken: string, runner: SqlRunner, count: number): Promise<string[]> {
  const template = await expectCall(baseUrl, 'POST', '/api/v1/tasks', ownerToken, {
    title: 'Backlog task',
    description: 'Seeded for the benchmark.',
  });
  const [taskRow] = await runner.query(`select * from tasks where id = ${runner.placeholder(1)}`, [template.id]);
  if (!taskRow) throw new Error('the template task was not found in the database');
  const ids = Array.from({ length: count }, () => uuidv7());
  const numbers = await reserveTaskNumbers(runner, taskRow, count);
  await cloneRows(runner, 'tasks', taskRow, count, (_row, index) => ({
    id: ids[index],
    number: numbers[index],
    title: `Backlog task ${index}`,
  }));
  return ids;
}
