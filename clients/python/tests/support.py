"""Shared by the tests: clients for the server the test run started, fresh agents, a lossy proxy."""

from __future__ import annotations

import http.server
import os
import threading
import unittest
import urllib.error
import urllib.request
import uuid
from typing import Callable, Optional

from mission_control import MissionControl, RetryOptions

#: Quick retries: the tests check that retries happen and with which key, never how long they take.
QUICK_RETRIES = RetryOptions(retries=3, min_delay_seconds=0.01, max_delay_seconds=0.05)


def server_url() -> str:
    """MISSION_URL, or the test is skipped (the vitest runner sets it)."""
    url = os.environ.get("MISSION_URL")
    if not url:
        raise unittest.SkipTest("MISSION_URL is not set: run through clients/python/python-sdk.real-server.test.ts")
    return url


def owner_token() -> str:
    """MISSION_OWNER_TOKEN: an access token of the workspace's owner."""
    token = os.environ.get("MISSION_OWNER_TOKEN")
    if not token:
        raise unittest.SkipTest("MISSION_OWNER_TOKEN is not set")
    return token


def owner_client(base_url: Optional[str] = None) -> MissionControl:
    """A client signed in as the workspace's owner, to the server or to a peer in front of it."""
    return MissionControl(base_url or server_url(), access_token=owner_token(), retry=QUICK_RETRIES)


def unique(prefix: str) -> str:
    """A marker no other test uses, to find what a test made."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def new_agent(owner: MissionControl) -> tuple[str, MissionControl]:
    """Registers a fresh agent (so claims of one test never meet another's) and a client with its key."""
    agent = owner.agents.create(unique("py-agent"), "specialist")
    key = owner.agents.create_api_key(agent.id, "python-tests")
    return agent.id, MissionControl(server_url(), key.secret, retry=QUICK_RETRIES)


class LossyProxy:
    """A real HTTP peer in front of the server that loses the answers of chosen requests.

    The request still reaches the server (the work is done); the client gets a 503 instead of
    the answer, as when a load balancer drops a response. ``lose(method, path)`` picks them.
    """

    def __init__(self, upstream: str, lose: Callable[[str, str], bool]) -> None:
        self.seen_keys: list[Optional[str]] = []
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def forward(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {name: value for name, value in self.headers.items() if name.lower() != "host"}
                proxy.seen_keys.append(self.headers.get("idempotency-key"))
                request = urllib.request.Request(upstream + self.path, data=body, headers=headers, method=self.command)
                try:
                    with urllib.request.urlopen(request) as answer:
                        status, answer_headers, payload = answer.status, answer.headers, answer.read()
                except urllib.error.HTTPError as failure:
                    status, answer_headers, payload = failure.code, failure.headers, failure.read()
                if lose(self.command, self.path):
                    status, payload = 503, b"upstream answer lost"
                    answer_headers = {"content-type": "text/plain"}
                self.send_response(status)
                for name, value in answer_headers.items():
                    if name.lower() not in ("content-length", "transfer-encoding", "connection", "date", "server"):
                        self.send_header(name, value)
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = forward

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stops the proxy."""
        self._server.shutdown()
        self._server.server_close()
