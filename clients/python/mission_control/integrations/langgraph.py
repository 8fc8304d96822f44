"""A LangGraph tool node over the SDK: ``build_tool_node(client)`` answers a ``ToolNode`` for a graph.

``langgraph_tools(client)`` answers the plain typed functions (what ToolNode and ``bind_tools`` take)
and works without langgraph installed; only ``build_tool_node`` imports it.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from ..client import MissionControl
from .tools import MissionToolSet


def langgraph_tools(client: MissionControl, tool_set: Optional[MissionToolSet] = None) -> list[Callable[..., str]]:
    """The tools as functions whose names, type hints and docstrings become the tool schemas."""
    return (tool_set or MissionToolSet(client)).functions()


def build_tool_node(client: MissionControl, tool_set: Optional[MissionToolSet] = None, **options: Any) -> Any:
    """A ``langgraph.prebuilt.ToolNode`` running the Mission Control tools; needs langgraph installed."""
    try:
        from langgraph.prebuilt import ToolNode  # type: ignore[import-not-found]
    except ImportError as missing:
        raise ImportError("build_tool_node needs langgraph: pip install langgraph") from missing
    return ToolNode(langgraph_tools(client, tool_set), **options)
