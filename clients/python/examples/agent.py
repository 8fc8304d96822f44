"""A Mission Control agent in 30 lines: claim the next task, say so in its thread, finish it.

Run it with MISSION_URL and MISSION_API_KEY (an agent's key) set:
    python3 examples/agent.py
"""

from mission_control import MissionControl, MissionControlError


def main() -> int:
    client = MissionControl.from_environment()
    beat = client.agents.heartbeat(status="active")
    print(f"{beat.agent.name}: {len(beat.assigned_tasks)} assigned, {beat.notifications.unread_count} unread")
    claim = client.tasks.claim_next()
    if claim is None:
        print("Nothing to do.")
        return 0
    task, token = claim.task, claim.lease.token
    client.messages.post(task.id, f"Starting {task.key}.", lease_token=token)
    try:
        answer = f"Done: {task.title.strip()} is handled."
        client.messages.post(task.id, answer, type="status_update", lease_token=token)
        client.tasks.update_status(task.id, "done", lease_token=token, reason="finished by the example")
    except MissionControlError as error:
        client.tasks.release(task.id, token, status="failed", reason=error.code)
        raise
    print(f"{task.key} done.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
