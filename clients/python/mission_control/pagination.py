"""Cursor pagination: iterate a list across pages, or fetch one page at a time."""

from __future__ import annotations

from typing import Any, Callable, Generic, Iterator, Optional, TypeVar

ItemT = TypeVar("ItemT")
PageT = TypeVar("PageT")


class PageIterator(Generic[ItemT, PageT]):
    """A cursor-paginated list: ``for item in it`` walks every item; ``page()`` fetches one page."""

    def __init__(self, fetch_page: Callable[[Optional[str]], PageT]) -> None:
        self._fetch_page = fetch_page

    def page(self, cursor: Optional[str] = None) -> PageT:
        """Fetches one page: the first without a cursor, the next with the previous page's ``next_cursor``."""
        return self._fetch_page(cursor)

    def __iter__(self) -> Iterator[ItemT]:
        cursor: Optional[str] = None
        while True:
            page: Any = self._fetch_page(cursor)
            yield from page.data
            cursor = page.next_cursor
            if not cursor:
                return

    def to_list(self, limit: Optional[int] = None) -> list[ItemT]:
        """Collects every item (mind the size of big lists), or at most ``limit`` items."""
        items: list[ItemT] = []
        if limit is not None and limit <= 0:
            return items
        for item in self:
            items.append(item)
            if limit is not None and len(items) >= limit:
                break
        return items
