"""The entry point: ``MissionControl(base_url=..., api_key=...)`` or ``MissionControl.from_environment()``."""

from __future__ import annotations

import os
import re
import urllib.parse
from typing import Mapping, Optional

from .errors import MissionControlError
from .events import EventsResource
from .models import Me
from .resources._context import ResourceContext
from .resources.agents import AgentsResource
from .resources.auth import AuthResource
from .resources.documents import DocumentsResource
from .resources.messages import MessagesResource
from .resources.notifications import NotificationsResource
from .resources.runs import RunsResource
from .resources.tasks import TasksResource
from .resources.working_state import WorkingStateResource
from .transport import HttpTransport, RetryOptions


def normalize_base_url(base_url: str) -> str:
    """The server root without a trailing slash or ``/api/v1``."""
    parsed = urllib.parse.urlparse(base_url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise MissionControlError(
            "VALIDATION_FAILED", f'"{base_url}" is not a URL: pass the server root, such as http://127.0.0.1:4000.'
        )
    return re.sub(r"/api/v1$", "", base_url.rstrip("/"))


class MissionControl:
    """The typed client of the Mission Control API (standard library only)."""

    def __init__(
        self,
        base_url: str,
        api_key: Optional[str] = None,
        *,
        access_token: Optional[str] = None,
        retry: Optional[RetryOptions] = None,
        timeout_seconds: float = 30.0,
    ) -> None:
        #: The server root this client talks to.
        self.base_url = normalize_base_url(base_url)
        self._credential = api_key or access_token
        self._identity: Optional[Me] = None
        self._transport = HttpTransport(
            self.base_url, lambda: self._credential, retry or RetryOptions(), timeout_seconds
        )
        context = ResourceContext(self._transport, self.set_credential, self._who_am_i)
        #: Sign-in, sessions, the caller's identity and API keys.
        self.auth = AuthResource(context)
        #: Agents, their keys and heartbeats.
        self.agents = AgentsResource(context)
        #: Tasks, assignment, status, claims.
        self.tasks = TasksResource(context)
        #: Task threads.
        self.messages = MessagesResource(context)
        #: Versioned documents.
        self.documents = DocumentsResource(context)
        #: The caller's notifications.
        self.notifications = NotificationsResource(context)
        #: The shared WORKING.md.
        self.working_state = WorkingStateResource(context)
        #: Runs of agents.
        self.runs = RunsResource(context)
        #: The live event stream (needs the ``stream`` extra: ``pip install "mission-control[stream]"``).
        self.events = EventsResource(self.base_url, lambda: self._credential)

    @classmethod
    def from_environment(
        cls, environment: Optional[Mapping[str, str]] = None, **options: object
    ) -> "MissionControl":
        """Builds a client from MISSION_URL and MISSION_API_KEY (the process environment by default)."""
        env = os.environ if environment is None else environment
        base_url = env.get("MISSION_URL")
        api_key = env.get("MISSION_API_KEY")
        if not base_url:
            raise MissionControlError(
                "MISSING_CREDENTIALS", "MISSION_URL is not set: export MISSION_URL=http://127.0.0.1:4000 (your server)."
            )
        if not api_key:
            raise MissionControlError(
                "MISSING_CREDENTIALS",
                "MISSION_API_KEY is not set: create a key with `mission agents key <agent>` "
                "(or in the dashboard) and export MISSION_API_KEY=mc_….",
            )
        return cls(base_url, api_key, **options)  # type: ignore[arg-type]

    def set_credential(self, credential: str) -> None:
        """Replaces the credential (API key or access token) used from now on."""
        self._credential = credential
        self._identity = None

    def _who_am_i(self) -> Me:
        if self._identity is None:
            self._identity = self.auth.me()
        return self._identity
