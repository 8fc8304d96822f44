"""Versioned markdown documents (/documents)."""

from __future__ import annotations

from typing import Any, Optional

from ..models import Document, DocumentSummary, DocumentSummaryPage
from ..pagination import PageIterator
from ._context import ResourceContext, segment, without_none


class DocumentsResource:
    """Versioned documents; use ``client.documents``."""

    def __init__(self, context: ResourceContext) -> None:
        self._context = context

    def list(
        self,
        *,
        type: Optional[str] = None,
        task_id: Optional[str] = None,
        q: Optional[str] = None,
        limit: Optional[int] = None,
    ) -> PageIterator[DocumentSummary, DocumentSummaryPage]:
        """Lists documents without their content: iterate over all, or ``.page()``."""

        def fetch(cursor: Optional[str]) -> DocumentSummaryPage:
            query = {"type": type, "taskId": task_id, "q": q, "limit": limit, "cursor": cursor}
            answer = self._context.transport.request("GET", "/api/v1/documents", query=query)
            return DocumentSummaryPage.from_dict(answer.body)

        return PageIterator(fetch)

    def create(
        self,
        title: str,
        content: str = "",
        *,
        type: Optional[str] = None,
        task_id: Optional[str] = None,
        idempotency_key: Optional[str] = None,
        **options: Any,
    ) -> Document:
        """Creates a document (version 1)."""
        body = without_none({"title": title, "content": content, "type": type, "taskId": task_id, **options})
        answer = self._context.transport.request(
            "POST", "/api/v1/documents", body=body, idempotency_key=idempotency_key
        )
        return Document.from_dict(answer.body)

    def get(self, document_id: str) -> Document:
        """Fetches a document with its content."""
        return Document.from_dict(
            self._context.transport.request("GET", f"/api/v1/documents/{segment(document_id)}").body
        )

    def update(
        self,
        document_id: str,
        *,
        content: Optional[str] = None,
        title: Optional[str] = None,
        base_version: Optional[int] = None,
        **fields: Any,
    ) -> Document:
        """Writes a new version; pass base_version to get 409 instead of overwriting someone else's edit."""
        body = without_none({"content": content, "title": title, "baseVersion": base_version, **fields})
        answer = self._context.transport.request("PATCH", f"/api/v1/documents/{segment(document_id)}", body=body)
        return Document.from_dict(answer.body)

    def delete(self, document_id: str) -> None:
        """Deletes a document with its versions."""
        self._context.transport.request("DELETE", f"/api/v1/documents/{segment(document_id)}")
