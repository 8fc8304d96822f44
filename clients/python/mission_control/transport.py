"""HTTP to the API with the standard library: auth header, JSON, retries under one idempotency key."""

from __future__ import annotations

import json
import random
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Optional, Sequence

from .errors import MissionControlError, error_from_response


@dataclass
class RetryOptions:
    """How failed calls are retried: exponential backoff with full jitter (as the TypeScript SDK)."""

    retries: int = 3
    """Retries after the first attempt (0 turns retrying off)."""
    min_delay_seconds: float = 0.25
    max_delay_seconds: float = 10.0


@dataclass
class Response:
    """A decoded answer: its status, headers and JSON body (None when it had none)."""

    status: int
    headers: Mapping[str, str]
    body: Any = None
    text: str = ""
    replayed: bool = field(default=False)


def compute_backoff_delay(attempt: int, options: RetryOptions) -> float:
    """A random wait between half and all of min * 2^attempt, capped at the maximum."""
    ceiling = min(options.max_delay_seconds, options.min_delay_seconds * 2**attempt)
    return ceiling / 2 + random.random() * ceiling / 2


def create_idempotency_key() -> str:
    """A random key for one operation, reused across its retries."""
    return str(uuid.uuid4())


def _is_retryable(error: MissionControlError) -> bool:
    if error.code in ("NETWORK_ERROR", "TIMEOUT"):
        return True
    if error.status in (429, 503):
        return True
    # The first attempt with this key is still running on the server: asking again later gets its answer.
    return error.code == "IDEMPOTENCY_KEY_IN_USE"


def _query_string(query: Optional[Mapping[str, Any]]) -> str:
    pairs: list[tuple[str, str]] = []
    for name, value in (query or {}).items():
        if value is None or value == "":
            continue
        if isinstance(value, bool):
            pairs.append((name, "true" if value else "false"))
        elif isinstance(value, (list, tuple)):
            if value:
                pairs.append((name, ",".join(str(item) for item in value)))
        else:
            pairs.append((name, str(value)))
    return urllib.parse.urlencode(pairs)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect would resend the credential elsewhere; the API never redirects.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class HttpTransport:
    """Sends requests to one server root (paths start with /api)."""

    def __init__(
        self,
        base_url: str,
        credential: Callable[[], Optional[str]],
        retry: RetryOptions,
        timeout_seconds: float,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url
        self._credential = credential
        self._retry = retry
        self._timeout = timeout_seconds
        self._sleep = sleep
        self._opener = urllib.request.build_opener(_NoRedirect)

    def url(self, path: str, query: Optional[Mapping[str, Any]] = None) -> str:
        """The absolute URL of a path with its query."""
        encoded = _query_string(query)
        return f"{self.base_url}{path}" + (f"?{encoded}" if encoded else "")

    def request(
        self,
        method: str,
        path: str,
        *,
        query: Optional[Mapping[str, Any]] = None,
        body: Any = None,
        headers: Optional[Mapping[str, str]] = None,
        idempotent: bool = True,
        idempotency_key: Optional[str] = None,
        accept: str = "application/json",
        answers: Sequence[int] = (),
    ) -> Response:
        """Sends one operation (retrying when safe) and answers its decoded response; raises MissionControlError."""
        sent = {"accept": accept, **(headers or {})}
        uses_key = method == "POST" and idempotent
        # One key per operation, the same on every retry, so the server runs it once.
        if uses_key:
            sent["idempotency-key"] = idempotency_key or create_idempotency_key()
        data: Optional[bytes] = None
        if body is not None:
            sent["content-type"] = "application/json"
            data = json.dumps(body).encode("utf-8")
        # PATCH may apply twice (an edit relative to what is there); a POST is safe only under its key.
        repeatable = uses_key if method == "POST" else method != "PATCH"
        retries = self._retry.retries if repeatable else 0
        url = self.url(path, query)
        attempt = 0
        while True:
            try:
                return self._send_once(method, url, data, sent, answers)
            except MissionControlError as error:
                if attempt >= retries or not _is_retryable(error):
                    raise
                backoff = compute_backoff_delay(attempt, self._retry)
                asked = error.retry_after_seconds or 0.0
                # A server asking for a longer pause than we are willing to wait gets the error back now.
                if asked > self._retry.max_delay_seconds:
                    raise
                self._sleep(max(asked, backoff))
                attempt += 1

    def _send_once(
        self, method: str, url: str, data: Optional[bytes], headers: Mapping[str, str], answers: Sequence[int]
    ) -> Response:
        sent = dict(headers)
        credential = self._credential()
        if credential:
            sent["authorization"] = f"Bearer {credential}"
        request = urllib.request.Request(url, data=data, headers=sent, method=method)
        try:
            with self._opener.open(request, timeout=self._timeout) as answer:
                return self._decode(method, url, answer.status, dict(answer.headers.items()), answer.read())
        except urllib.error.HTTPError as failure:
            raw = failure.read()
            answer_headers = dict(failure.headers.items()) if failure.headers else {}
            if failure.code in answers:
                return self._decode(method, url, failure.code, answer_headers, raw)
            text = raw.decode("utf-8", errors="replace")
            raise error_from_response(failure.code, text, _header(answer_headers, "retry-after")) from None
        except (socket.timeout, TimeoutError) as failure:
            raise MissionControlError(
                "TIMEOUT", f"No answer from {self.base_url} within {self._timeout} s."
            ) from failure
        except (urllib.error.URLError, ConnectionError, OSError) as failure:
            reason = getattr(failure, "reason", failure)
            raise MissionControlError(
                "NETWORK_ERROR",
                f"Could not reach Mission Control at {self.base_url} ({reason}). "
                "Check the URL and that the server is running.",
            ) from failure

    def _decode(self, method: str, url: str, status: int, headers: dict[str, str], raw: bytes) -> Response:
        text = raw.decode("utf-8", errors="replace")
        replayed = _header(headers, "idempotency-replayed") == "true"
        content_type = _header(headers, "content-type") or ""
        if status == 204 or text == "" or not content_type.startswith("application/json"):
            return Response(status=status, headers=headers, body=None, text=text, replayed=replayed)
        try:
            body = json.loads(text)
        except ValueError as failure:
            raise MissionControlError(
                "INVALID_RESPONSE", f"{method} {url} answered something other than JSON.", status=status
            ) from failure
        return Response(status=status, headers=headers, body=body, text=text, replayed=replayed)


def _header(headers: Mapping[str, str], name: str) -> Optional[str]:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None
