"""Runs of agents: built-in turns and runner runs (/runs)."""

from __future__ import annotations

from typing import Optional

from ..models import AgentRun, AgentRunDetail, AgentRunPage
from ..pagination import PageIterator
from ._context import ResourceContext, segment


class RunsResource:
    """Runs of agents; use ``client.runs``."""

    def __init__(self, context: ResourceContext) -> None:
        self._context = context

    def list(
        self,
        *,
        agent_id: Optional[str] = None,
        task_id: Optional[str] = None,
        runner_id: Optional[str] = None,
        status: Optional[str] = None,
        limit: Optional[int] = None,
    ) -> PageIterator[AgentRun, AgentRunPage]:
        """The workspace's runs, newest first, narrowed by agent, task, runner or status."""

        def fetch(cursor: Optional[str]) -> AgentRunPage:
            query = {
                "agentId": agent_id,
                "taskId": task_id,
                "runnerId": runner_id,
                "status": status,
                "limit": limit,
                "cursor": cursor,
            }
            return AgentRunPage.from_dict(self._context.transport.request("GET", "/api/v1/runs", query=query).body)

        return PageIterator(fetch)

    def get(self, run_id: str) -> AgentRunDetail:
        """One run with its prompt and transcript."""
        return AgentRunDetail.from_dict(self._context.transport.request("GET", f"/api/v1/runs/{segment(run_id)}").body)

    def cancel(self, run_id: str) -> AgentRun:
        """Asks the runner to stop a run."""
        return AgentRun.from_dict(
            self._context.transport.request("POST", f"/api/v1/runs/{segment(run_id)}/cancel").body
        )
