"""The one error type of the SDK: a stable code from the server (or the client), a status, details."""

from __future__ import annotations

import email.utils
import json
import time
from typing import Any, Optional

#: Codes the SDK raises itself when no server answer carries one.
CLIENT_ERROR_CODES = (
    "NETWORK_ERROR",
    "TIMEOUT",
    "INVALID_RESPONSE",
    "UNEXPECTED_STATUS",
    "MISSING_CREDENTIALS",
)


class MissionControlError(Exception):
    """An error answered by the server (with its stable code) or raised by the SDK on the way."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        status: int = 0,
        details: Any = None,
        retry_after_seconds: Optional[float] = None,
    ) -> None:
        super().__init__(message)
        #: The server's code (one of models.ERROR_CODES) or a client code (CLIENT_ERROR_CODES).
        self.code = code
        self.message = message
        #: The HTTP status, or 0 when no answer arrived.
        self.status = status
        self.details = details
        #: Seconds the server asked to wait before trying again (429, 503).
        self.retry_after_seconds = retry_after_seconds

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


def parse_retry_after(header: Optional[str], now: Optional[float] = None) -> Optional[float]:
    """Reads Retry-After as seconds (delta-seconds or an HTTP date); None when absent or unreadable."""
    if header is None or header.strip() == "":
        return None
    try:
        return max(0.0, float(header))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(header).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, moment - (time.time() if now is None else now))


def error_from_response(status: int, text: str, retry_after: Optional[str]) -> MissionControlError:
    """Turns a non-2xx answer into a MissionControlError, keeping the server's code when the body has one."""
    seconds = parse_retry_after(retry_after)
    try:
        body = json.loads(text) if text else None
    except ValueError:
        body = None
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict) and isinstance(error.get("code"), str) and isinstance(error.get("message"), str):
        return MissionControlError(
            error["code"], error["message"], status=status, details=error.get("details"), retry_after_seconds=seconds
        )
    # Proxies and load balancers answer without our error body; keep the status meaningful.
    code = "SERVICE_UNAVAILABLE" if status == 503 else "RATE_LIMITED" if status == 429 else "UNEXPECTED_STATUS"
    excerpt = text[:200].strip()
    message = f"The server answered HTTP {status}" + (f": {excerpt}" if excerpt else "")
    return MissionControlError(code, message, status=status, retry_after_seconds=seconds)
