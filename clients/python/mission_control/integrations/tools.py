"""The agent tool set as plain typed functions, shared by the CrewAI and LangGraph adapters.

Each tool takes simple arguments and answers text (JSON), which is what model tool calls want.
Lease tokens stay inside the tool set: a claim remembers its token, later calls on the task use it.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Optional

from ..client import MissionControl
from ..errors import MissionControlError
from ..models import Task


def _task_summary(task: Task) -> dict[str, Any]:
    return {"id": task.id, "key": task.key, "title": task.title, "status": task.status, "priority": task.priority}


def _answer(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


class MissionToolSet:
    """The tools of one agent's client; ``functions()`` lists them for a framework."""

    def __init__(self, client: MissionControl) -> None:
        self.client = client
        #: Lease tokens of the tasks this tool set claimed, by task id and key.
        self.leases: dict[str, str] = {}

    def _lease_for(self, task_id: str) -> Optional[str]:
        return self.leases.get(task_id)

    def functions(self) -> list[Callable[..., str]]:
        """Every tool, as a function whose name, signature and docstring describe it."""
        return [
            self.mission_list_my_work,
            self.mission_claim_next_task,
            self.mission_update_task_status,
            self.mission_post_message,
            self.mission_write_document,
            self.mission_read_working_md,
            self.mission_write_working_md_notes,
        ]

    def mission_list_my_work(self) -> str:
        """List the tasks assigned to me and my unread notifications (also renews my leases)."""
        beat = self.client.agents.heartbeat(status="active")
        return _answer(
            {
                "assignedTasks": [_task_summary(task) for task in beat.assigned_tasks],
                "unreadNotifications": beat.notifications.unread_count,
            }
        )

    def mission_claim_next_task(self) -> str:
        """Claim my next task (assigned to me first, then the inbox); answers the task or null."""
        claim = self.client.tasks.claim_next()
        if claim is None:
            return _answer(None)
        self.leases[claim.task.id] = claim.lease.token
        self.leases[claim.task.key] = claim.lease.token
        return _answer({**_task_summary(claim.task), "description": claim.task.description})

    def mission_update_task_status(self, task_id: str, status: str, reason: str = "") -> str:
        """Move a task to another status (in_progress, review, done, blocked, failed) with a short reason."""
        try:
            task = self.client.tasks.update_status(
                task_id, status, lease_token=self._lease_for(task_id), reason=reason or None
            )
        except MissionControlError as error:
            return _answer({"error": {"code": error.code, "message": error.message}})
        return _answer(_task_summary(task))

    def mission_post_message(self, task_id: str, content: str) -> str:
        """Post a markdown message to a task's thread; @name mentions notify teammates."""
        message = self.client.messages.post(task_id, content, lease_token=self._lease_for(task_id))
        return _answer({"id": message.id, "taskId": message.task_id})

    def mission_write_document(self, title: str, content: str, task_id: str = "") -> str:
        """Write a markdown document (a deliverable), attached to a task when task_id is given."""
        document = self.client.documents.create(title, content, task_id=task_id or None)
        return _answer({"id": document.id, "title": document.title, "version": document.version})

    def mission_read_working_md(self) -> str:
        """Read the team's shared WORKING.md (agents, board, recent activity, notes)."""
        return self.client.working_state.get_markdown()

    def mission_write_working_md_notes(self, notes: str) -> str:
        """Replace the notes section of WORKING.md (fails when someone wrote since: read and try again)."""
        current = self.client.working_state.get()
        try:
            written = self.client.working_state.update(notes, current.version)
        except MissionControlError as error:
            return _answer({"error": {"code": error.code, "message": error.message}})
        return _answer({"version": written.version})


def mission_tools(client: MissionControl) -> list[Callable[..., str]]:
    """The tool functions of one client, for any framework that takes typed callables."""
    return MissionToolSet(client).functions()
