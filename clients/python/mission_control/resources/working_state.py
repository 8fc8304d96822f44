"""The shared WORKING.md: live state plus notes under optimistic concurrency (If-Match)."""

from __future__ import annotations

from ..models import WorkingState
from ._context import ResourceContext

_PATH = "/api/v1/state/working-md"


class WorkingStateResource:
    """The shared WORKING.md; use ``client.working_state``."""

    def __init__(self, context: ResourceContext) -> None:
        self._context = context

    def get(self) -> WorkingState:
        """Reads the working state: the rendered markdown, the notes and their version."""
        return WorkingState.from_dict(self._context.transport.request("GET", _PATH).body)

    def get_markdown(self) -> str:
        """Reads the rendered WORKING.md as raw markdown."""
        return self._context.transport.request("GET", _PATH, accept="text/markdown").text

    def update(self, notes: str, version: int) -> WorkingState:
        """Replaces the notes, sending If-Match with the version you edited.

        Raises MissionControlError with code PRECONDITION_FAILED (412) when someone wrote since.
        """
        answer = self._context.transport.request(
            "PUT", _PATH, body={"notes": notes}, headers={"if-match": f'"{version}"'}
        )
        return WorkingState.from_dict(answer.body)
