"""Task threads: the messages of a task, with @mentions and replies."""

from __future__ import annotations

from typing import Optional

from ..models import Message, MessagePage
from ..pagination import PageIterator
from ._context import ResourceContext, segment, without_none


class MessagesResource:
    """Task threads; use ``client.messages``."""

    def __init__(self, context: ResourceContext) -> None:
        self._context = context

    def list(
        self, task_reference: str, *, order: Optional[str] = None, limit: Optional[int] = None
    ) -> PageIterator[Message, MessagePage]:
        """Lists a task's thread, oldest first: iterate over every message, or ``.page()``."""

        def fetch(cursor: Optional[str]) -> MessagePage:
            answer = self._context.transport.request(
                "GET",
                f"/api/v1/tasks/{segment(task_reference)}/messages",
                query={"order": order, "limit": limit, "cursor": cursor},
            )
            return MessagePage.from_dict(answer.body)

        return PageIterator(fetch)

    def post(
        self,
        task_reference: str,
        content: str,
        *,
        type: Optional[str] = None,
        reply_to_id: Optional[str] = None,
        lease_token: Optional[str] = None,
        idempotency_key: Optional[str] = None,
    ) -> Message:
        """Posts a message (or a reply, with reply_to_id) to a task's thread; @name mentions notify."""
        body = without_none({"content": content, "type": type, "replyToId": reply_to_id, "leaseToken": lease_token})
        answer = self._context.transport.request(
            "POST", f"/api/v1/tasks/{segment(task_reference)}/messages", body=body, idempotency_key=idempotency_key
        )
        return Message.from_dict(answer.body)

    def get(self, message_id: str) -> Message:
        """Fetches one message by id."""
        return Message.from_dict(self._context.transport.request("GET", f"/api/v1/messages/{segment(message_id)}").body)
