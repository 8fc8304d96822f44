"""The live event stream over WebSocket; needs the optional ``websockets`` package (the ``stream`` extra)."""

from __future__ import annotations

import json
from typing import Any, AsyncIterator, Callable, Optional


class EventsResource:
    """``client.events.stream()`` yields activity events as they happen (``async for``)."""

    def __init__(self, base_url: str, credential: Callable[[], Optional[str]]) -> None:
        self._base_url = base_url
        self._credential = credential

    async def stream(self, after: Optional[int] = None) -> AsyncIterator[dict[str, Any]]:
        """Yields each event message (``{"type": "event", "seq", "at", "data"}``) of the workspace's feed."""
        try:
            import websockets  # type: ignore[import-not-found]
        except ImportError as missing:
            raise ImportError(
                'client.events.stream() needs the websockets package: pip install "mission-control[stream]"'
            ) from missing
        url = self._base_url.replace("http", "ws", 1) + "/api/v1/ws/activities"
        if after is not None:
            url += f"?after={after}"
        async with websockets.connect(url) as socket:
            # The first message authenticates, so the secret never appears in a URL.
            await socket.send(json.dumps({"type": "auth", "token": self._credential()}))
            async for raw in socket:
                message = json.loads(raw)
                if isinstance(message, dict) and message.get("type") == "event":
                    yield message
