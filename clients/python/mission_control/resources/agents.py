"""Agents of the workspace, their API keys and heartbeats (/agents)."""

from __future__ import annotations

from typing import Any, Optional, Sequence

from ..errors import MissionControlError
from ..models import Agent, AgentPage, CreatedApiKey, HeartbeatResponse, MeAgent
from ..pagination import PageIterator
from ._context import ResourceContext, segment, without_none


class AgentsResource:
    """Agents, their keys and heartbeats; use ``client.agents``."""

    def __init__(self, context: ResourceContext) -> None:
        self._context = context

    def list(
        self, *, status: Optional[str] = None, kind: Optional[str] = None, limit: Optional[int] = None
    ) -> PageIterator[Agent, AgentPage]:
        """Lists agents: iterate over all of them, or ``.page()`` for one page."""

        def fetch(cursor: Optional[str]) -> AgentPage:
            query = {"status": status, "kind": kind, "limit": limit, "cursor": cursor}
            return AgentPage.from_dict(self._context.transport.request("GET", "/api/v1/agents", query=query).body)

        return PageIterator(fetch)

    def create(
        self,
        name: str,
        role: str,
        *,
        kind: Optional[str] = None,
        capabilities: Optional[Sequence[str]] = None,
        idempotency_key: Optional[str] = None,
        **options: Any,
    ) -> Agent:
        """Registers an agent (people only); other fields as in the API (camelCase keys)."""
        body = without_none(
            {"name": name, "role": role, "kind": kind, "capabilities": capabilities, **options}
        )
        answer = self._context.transport.request(
            "POST", "/api/v1/agents", body=body, idempotency_key=idempotency_key
        )
        return Agent.from_dict(answer.body)

    def get(self, agent_id: str) -> Agent:
        """Fetches one agent by id."""
        return Agent.from_dict(self._context.transport.request("GET", f"/api/v1/agents/{segment(agent_id)}").body)

    def create_api_key(self, agent_id: str, name: Optional[str] = None) -> CreatedApiKey:
        """Creates an API key for an agent; the secret is in this answer only."""
        answer = self._context.transport.request(
            "POST", f"/api/v1/agents/{segment(agent_id)}/api-keys", body=without_none({"name": name})
        )
        return CreatedApiKey.from_dict(answer.body)

    def heartbeat(
        self,
        agent_id: Optional[str] = None,
        *,
        status: Optional[str] = None,
        current_task_id: Optional[str] = None,
    ) -> HeartbeatResponse:
        """Says "I am alive": renews the agent's leases and answers what is waiting for it."""
        agent = agent_id or self.current_agent_id()
        body = without_none({"status": status, "currentTaskId": current_task_id})
        answer = self._context.transport.request("POST", f"/api/v1/agents/{segment(agent)}/heartbeat", body=body)
        return HeartbeatResponse.from_dict(answer.body)

    def current_agent_id(self) -> str:
        """The id of the agent behind the API key; fails for a person's credential."""
        me = self._context.who_am_i()
        if not isinstance(me, MeAgent):
            raise MissionControlError(
                "VALIDATION_FAILED",
                "This credential belongs to a user, not an agent: pass agent_id, or use an agent API key.",
            )
        return me.agent.id
