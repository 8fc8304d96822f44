// A stand-in for an agent CLI in the runner's tests: it reads its arguments and prompt like the
// real tool, changes a file in its working directory, and prints the real tool's documented
// machine-readable output, usage and cost included. A word in the prompt picks a variant:
// fake:fail (exit 1), fake:hang (never ends, with a child process in its group), fake:malformed
// (lines that are not JSON between the real ones). No model and no network are involved.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const tool = process.argv[2];
const args = process.argv.slice(3);

function optionValue(name) {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function print(value) {
  process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value)}\n`);
}

function resumedSession() {
  if (tool === 'claude') return optionValue('--resume');
  if (tool === 'codex') return args.includes('resume') ? args[args.indexOf('resume') + 1] : undefined;
  if (tool === 'gemini') return optionValue('--resume');
  if (tool === 'opencode') return optionValue('--session');
  return undefined;
}

if (args.includes('--version')) {
  print({ claude: '2.0.14 (Claude Code)', codex: 'codex-cli 0.46.0', gemini: '0.9.0', opencode: '0.15.2' }[tool]);
  process.exit(0);
}

const stdin = await readStdin();
const prompt = tool === 'opencode' ? args.at(-1) : stdin;
const variant = /fake:(fail|hang|malformed)/.exec(prompt)?.[1] ?? 'ok';
const resumed = resumedSession();
const session = resumed ?? (tool === 'opencode' ? `ses_${randomUUID().replace(/-/g, '').slice(0, 24)}` : randomUUID());
const firstLine = prompt.split('\n').find((line) => line.trim()) ?? '';

// The change the "agent" makes: one line per run, saying which session it ran in.
fs.appendFileSync(path.join(process.cwd(), 'work.txt'), `${tool} ${resumed ? 'resumed' : 'new'} ${session}: ${firstLine}\n`);

if (variant === 'hang') {
  // A child in the same process group: a cancel must take it down too.
  const child = spawn('sleep', ['1000'], { stdio: 'ignore' });
  const pidDirectory = path.join(process.cwd(), '..', '..', 'fake-pids');
  fs.mkdirSync(pidDirectory, { recursive: true });
  fs.writeFileSync(path.join(pidDirectory, `${path.basename(process.cwd())}.json`), JSON.stringify({ cli: process.pid, child: child.pid }));
}

const malformed = variant === 'malformed';
const usage = { input: 1200, output: 340, cacheRead: 800 };

if (tool === 'claude') {
  print({
    type: 'system',
    subtype: 'init',
    session_id: session,
    cwd: process.cwd(),
    model: 'claude-sonnet-4-5',
    tools: ['Read', 'Edit', 'Bash'],
    permissionMode: optionValue('--permission-mode'),
  });
  print({
    type: 'assistant',
    session_id: session,
    message: {
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [{ type: 'text', text: 'I will update work.txt.' }],
      usage: { input_tokens: 600, output_tokens: 40 },
    },
  });
  if (malformed) print('{"type": "assistant", "message": {oops');
  print({
    type: 'assistant',
    session_id: session,
    message: {
      role: 'assistant',
      content: [{ type: 'tool_use', id: 'toolu_01', name: 'Edit', input: { file_path: 'work.txt' } }],
      usage: { input_tokens: 600, output_tokens: 60 },
    },
  });
  print({
    type: 'user',
    session_id: session,
    message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: 'The file work.txt has been updated.' }] },
  });
  if (malformed) print('this is not JSON at all');
}
if (tool === 'codex') {
  print({ type: 'thread.started', thread_id: session });
  print({ type: 'turn.started' });
  if (malformed) print('{"type":"item.completed","item":');
  print({
    type: 'item.started',
    item: { id: 'item_0', type: 'command_execution', command: 'bash -lc "echo >> work.txt"', aggregated_output: '', status: 'in_progress' },
  });
  print({
    type: 'item.completed',
    item: {
      id: 'item_0',
      type: 'command_execution',
      command: 'bash -lc "echo >> work.txt"',
      aggregated_output: '',
      exit_code: 0,
      status: 'completed',
    },
  });
  print({
    type: 'item.completed',
    item: { id: 'item_1', type: 'file_change', changes: [{ path: 'work.txt', kind: 'update' }], status: 'completed' },
  });
  print({ type: 'item.completed', item: { id: 'item_2', type: 'agent_message', text: 'Updated work.txt.' } });
}
if (tool === 'gemini') {
  print({ type: 'init', timestamp: new Date().toISOString(), session_id: session, model: 'gemini-2.5-pro' });
  print({ type: 'message', timestamp: new Date().toISOString(), role: 'user', content: firstLine });
  print({
    type: 'tool_use',
    timestamp: new Date().toISOString(),
    tool_name: 'write_file',
    tool_id: 'write-1',
    parameters: { file_path: 'work.txt' },
  });
  print({ type: 'tool_result', timestamp: new Date().toISOString(), tool_id: 'write-1', status: 'success', output: 'Wrote work.txt' });
  if (malformed) print('<<not json>>');
  print({ type: 'message', timestamp: new Date().toISOString(), role: 'assistant', content: 'Updated ', delta: true });
  print({ type: 'message', timestamp: new Date().toISOString(), role: 'assistant', content: 'work.txt.', delta: true });
}
if (tool === 'opencode') {
  const base = { timestamp: Date.now(), sessionID: session };
  print({ ...base, type: 'step_start', part: { id: 'prt_1', sessionID: session, messageID: 'msg_1', type: 'step-start' } });
  print({
    ...base,
    type: 'tool_use',
    part: {
      id: 'prt_2',
      type: 'tool',
      tool: 'edit',
      callID: 'call_1',
      state: { status: 'completed', input: { filePath: 'work.txt' }, output: 'edited' },
    },
  });
  if (malformed) print('{"type":"text","part":');
  print({ ...base, type: 'text', part: { id: 'prt_3', type: 'text', text: 'Updated work.txt.' } });
}

if (variant === 'hang') {
  // Never ends by itself: only a cancel or a timeout stops it.
  setInterval(() => undefined, 60_000);
} else {
  const failed = variant === 'fail';
  if (tool === 'claude') {
    print({
      type: 'result',
      subtype: failed ? 'error_during_execution' : 'success',
      is_error: failed,
      duration_ms: 4200,
      duration_api_ms: 3900,
      num_turns: 3,
      result: failed ? 'It went wrong.' : 'Updated work.txt as asked.',
      session_id: session,
      total_cost_usd: 0.0123,
      usage: {
        input_tokens: usage.input,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: usage.cacheRead,
        output_tokens: usage.output,
      },
    });
  }
  if (tool === 'codex') {
    print(
      failed
        ? { type: 'turn.failed', error: { message: 'It went wrong.' } }
        : {
            type: 'turn.completed',
            usage: { input_tokens: usage.input, cached_input_tokens: usage.cacheRead, output_tokens: usage.output },
          },
    );
  }
  if (tool === 'gemini') {
    print({
      type: 'result',
      timestamp: new Date().toISOString(),
      status: failed ? 'error' : 'success',
      ...(failed ? { error: { type: 'Error', message: 'It went wrong.' } } : {}),
      stats: {
        total_tokens: usage.input + usage.output,
        input_tokens: usage.input,
        output_tokens: usage.output,
        duration_ms: 4200,
        tool_calls: 1,
      },
    });
  }
  if (tool === 'opencode') {
    print({
      timestamp: Date.now(),
      sessionID: session,
      type: 'step_finish',
      part: {
        id: 'prt_4',
        type: 'step-finish',
        reason: 'stop',
        cost: 0.0087,
        tokens: { input: usage.input, output: usage.output, reasoning: 0, cache: { read: usage.cacheRead, write: 0 } },
      },
    });
    if (failed)
      print({
        timestamp: Date.now(),
        sessionID: session,
        type: 'error',
        error: { name: 'UnknownError', data: { message: 'It went wrong.' } },
      });
  }
  if (failed) process.stderr.write('fake failure: it went wrong\n');
  process.exit(failed ? 1 : 0);
}
