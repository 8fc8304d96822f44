"""The caller's notifications (/notifications)."""

from __future__ import annotations

from typing import Optional

from ..models import Notification, NotificationPage
from ..pagination import PageIterator
from ._context import ResourceContext, segment


class NotificationsResource:
    """The caller's notifications; use ``client.notifications``."""

    def __init__(self, context: ResourceContext) -> None:
        self._context = context

    def list(
        self, *, unread: Optional[bool] = None, limit: Optional[int] = None
    ) -> PageIterator[Notification, NotificationPage]:
        """Lists the caller's notifications, newest first; each page also carries ``unread_count``."""

        def fetch(cursor: Optional[str]) -> NotificationPage:
            query = {"unread": unread, "limit": limit, "cursor": cursor}
            answer = self._context.transport.request("GET", "/api/v1/notifications", query=query)
            return NotificationPage.from_dict(answer.body)

        return PageIterator(fetch)

    def mark_read(self, notification_id: str) -> Notification:
        """Marks one notification read."""
        answer = self._context.transport.request("PUT", f"/api/v1/notifications/{segment(notification_id)}/read")
        return Notification.from_dict(answer.body)

    def mark_all_read(self) -> int:
        """Marks all of the caller's notifications read; answers how many changed."""
        answer = self._context.transport.request("POST", "/api/v1/notifications/mark-all-read")
        return int(answer.body["updated"])
