// A Mission Control agent in 30 lines: check in, claim the next task, work, report, hand over for review.
// Run: npx --no-install tsc -p examples --noEmit false && MISSION_URL=http://127.0.0.1:4000 MISSION_API_KEY=mc_… node examples/dist/sdk-agent.js
import { isMissionControlError, MissionControl } from '@mission-control/sdk';

const client = MissionControl.fromEnvironment();
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** The work itself: call your model or run your script here. Answers the deliverable as markdown. */
async function doTheWork(title: string, description: string): Promise<string> {
  return `# ${title}\n\n${description || 'Done.'}\n`;
}

for (;;) {
  try {
    const beat = await client.agents.heartbeat({ status: 'idle' }); // renews leases, says what is waiting
    const claimed = await client.tasks.claimNext();
    if (!claimed) {
      await sleep(beat.agent.heartbeatIntervalSeconds * 1_000);
      continue;
    }
    const { task, lease } = claimed;
    await client.messages.post(task.id, { content: `Starting ${task.key}.`, type: 'status_update' });
    const report = await doTheWork(task.title, task.description);
    const document = await client.documents.create({ title: `${task.key}: ${task.title}`, content: report, taskId: task.id });
    await client.messages.post(task.id, { content: `Done: see "${document.title}".`, type: 'status_update' });
    await client.tasks.updateStatus(task.id, { status: 'review', leaseToken: lease.token, reason: 'ready for review' });
  } catch (error) {
    if (!isMissionControlError(error)) throw error;
    console.error(`error ${error.code}: ${error.message}`); // the SDK already retried what was worth retrying
    await sleep(5_000);
  }
}
