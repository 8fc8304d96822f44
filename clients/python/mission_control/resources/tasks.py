"""The task board: tasks, assignment, status, claims and leases (/tasks)."""

from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence

from ..models import ClaimResult, Task, TaskPage
from ..pagination import PageIterator
from ._context import ResourceContext, segment, without_none


class TasksResource:
    """Tasks, addressed by id or key (``TASK-7``); use ``client.tasks``."""

    def __init__(self, context: ResourceContext) -> None:
        self._context = context

    def list(
        self,
        *,
        status: Optional[str | Sequence[str]] = None,
        priority: Optional[str | Sequence[str]] = None,
        assignee_id: Optional[str] = None,
        parent_id: Optional[str] = None,
        q: Optional[str] = None,
        limit: Optional[int] = None,
    ) -> PageIterator[Task, TaskPage]:
        """Lists tasks: iterate over all of them, or ``.page()`` for one page."""

        def fetch(cursor: Optional[str]) -> TaskPage:
            query = {
                "status": status,
                "priority": priority,
                "assigneeId": assignee_id,
                "parentId": parent_id,
                "q": q,
                "limit": limit,
                "cursor": cursor,
            }
            return TaskPage.from_dict(self._context.transport.request("GET", "/api/v1/tasks", query=query).body)

        return PageIterator(fetch)

    def create(
        self,
        title: str,
        *,
        description: Optional[str] = None,
        priority: Optional[str] = None,
        assignees: Optional[Sequence[Mapping[str, str]]] = None,
        required_capabilities: Optional[Sequence[str]] = None,
        idempotency_key: Optional[str] = None,
        **options: Any,
    ) -> Task:
        """Creates a task (in the inbox, or assigned when assignees such as ``{"kind": "agent", "id": …}`` are given).

        Give ``idempotency_key`` to make a repeat of this exact call answer the first task instead of a second one.
        """
        body = without_none(
            {
                "title": title,
                "description": description,
                "priority": priority,
                "assignees": assignees,
                "requiredCapabilities": required_capabilities,
                **options,
            }
        )
        answer = self._context.transport.request("POST", "/api/v1/tasks", body=body, idempotency_key=idempotency_key)
        return Task.from_dict(answer.body)

    def get(self, task_reference: str) -> Task:
        """Fetches one task by id or key."""
        return Task.from_dict(self._context.transport.request("GET", f"/api/v1/tasks/{segment(task_reference)}").body)

    def update(self, task_reference: str, **fields: Any) -> Task:
        """Changes some of a task's fields (camelCase keys as in the API: title, description, priority, dueAt…)."""
        answer = self._context.transport.request("PATCH", f"/api/v1/tasks/{segment(task_reference)}", body=fields)
        return Task.from_dict(answer.body)

    def delete(self, task_reference: str) -> None:
        """Deletes a task and its thread."""
        self._context.transport.request("DELETE", f"/api/v1/tasks/{segment(task_reference)}")

    def assign(self, task_reference: str, assignees: Sequence[Mapping[str, str]]) -> Task:
        """Replaces the task's assignees (``[{"kind": "agent", "id": …}]``)."""
        answer = self._context.transport.request(
            "POST", f"/api/v1/tasks/{segment(task_reference)}/assign", body={"assignees": list(assignees)}
        )
        return Task.from_dict(answer.body)

    def update_status(
        self, task_reference: str, status: str, *, lease_token: Optional[str] = None, reason: Optional[str] = None
    ) -> Task:
        """Moves a task to another status; an agent holding a claim passes its lease token."""
        body = without_none({"status": status, "leaseToken": lease_token, "reason": reason})
        answer = self._context.transport.request("POST", f"/api/v1/tasks/{segment(task_reference)}/status", body=body)
        return Task.from_dict(answer.body)

    def claim(self, task_reference: str, *, lease_seconds: Optional[int] = None) -> ClaimResult:
        """Claims a task: exactly one concurrent claimer wins a lease (token and expiry)."""
        answer = self._context.transport.request(
            "POST", f"/api/v1/tasks/{segment(task_reference)}/claim", body=without_none({"leaseSeconds": lease_seconds})
        )
        return ClaimResult.from_dict(answer.body)

    def claim_next(self, *, lease_seconds: Optional[int] = None) -> Optional[ClaimResult]:
        """Claims the calling agent's best next task, or answers None when nothing is waiting."""
        answer = self._context.transport.request(
            "POST", "/api/v1/tasks/next", body=without_none({"leaseSeconds": lease_seconds})
        )
        return None if answer.status == 204 or answer.body is None else ClaimResult.from_dict(answer.body)

    def release(
        self, task_reference: str, lease_token: str, *, status: Optional[str] = None, reason: Optional[str] = None
    ) -> Task:
        """Gives a claimed task back (to assigned, inbox, blocked or failed) with its lease token."""
        body = without_none({"leaseToken": lease_token, "status": status, "reason": reason})
        answer = self._context.transport.request("POST", f"/api/v1/tasks/{segment(task_reference)}/release", body=body)
        return Task.from_dict(answer.body)
