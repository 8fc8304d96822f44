"""What the resources share with the client: the transport, the credential, the caller's identity."""

from __future__ import annotations

from typing import Any, Callable
from urllib.parse import quote

from ..models import Me
from ..transport import HttpTransport


class ResourceContext:
    """The transport plus the client's credential setter and its remembered identity."""

    def __init__(
        self, transport: HttpTransport, set_credential: Callable[[str], None], who_am_i: Callable[[], Me]
    ) -> None:
        self.transport = transport
        self.set_credential = set_credential
        self.who_am_i = who_am_i


def segment(value: Any) -> str:
    """A path parameter, escaped so an id cannot change the route."""
    return quote(str(value), safe="")


def without_none(values: dict[str, Any]) -> dict[str, Any]:
    """The body or query without the options left at None (the server's defaults apply)."""
    return {key: value for key, value in values.items() if value is not None}
