"""CrewAI tools over the SDK: ``build_crewai_tools(client)`` answers a list to pass as ``Agent(tools=...)``.

With crewai installed the tools are ``crewai.tools.BaseTool`` subclasses; without it, plain objects
with the same ``name``, ``description``, ``_run`` and ``run``, so the import costs nothing.
"""

from __future__ import annotations

import inspect
import typing
from typing import Any, Callable, Optional

from ..client import MissionControl
from .tools import MissionToolSet


class MissionTool:
    """A tool shaped like CrewAI's BaseTool, used when crewai is not installed."""

    def __init__(self, name: str, description: str, function: Callable[..., str]) -> None:
        self.name = name
        self.description = description
        self._function = function

    def _run(self, *args: Any, **kwargs: Any) -> str:
        return self._function(*args, **kwargs)

    def run(self, *args: Any, **kwargs: Any) -> str:
        """Runs the tool, as CrewAI's ``BaseTool.run`` does."""
        return self._run(*args, **kwargs)


def _import_base_tool() -> Optional[type]:
    try:
        from crewai.tools import BaseTool  # type: ignore[import-not-found]
    except ImportError:
        return None
    return BaseTool


def _args_schema(name: str, function: Callable[..., str]) -> Optional[type]:
    # CrewAI validates tool input with a pydantic model; pydantic comes with crewai.
    try:
        import pydantic  # type: ignore[import-not-found]
    except ImportError:
        return None
    fields: dict[str, Any] = {}
    hints = typing.get_type_hints(function)
    for parameter in inspect.signature(function).parameters.values():
        default = ... if parameter.default is inspect.Parameter.empty else parameter.default
        fields[parameter.name] = (hints.get(parameter.name, str), default)
    return pydantic.create_model(f"{name}_input", **fields)


def _crewai_tool(base: type, name: str, description: str, function: Callable[..., str]) -> Any:
    def _run(self: Any, *args: Any, **kwargs: Any) -> str:
        return function(*args, **kwargs)

    signature = inspect.signature(function)
    # CrewAI reads the arguments from _run's signature when no args_schema is given.
    _run.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD), *signature.parameters.values()]
    )
    annotations: dict[str, Any] = {"name": str, "description": str}
    attributes: dict[str, Any] = {"name": name, "description": description, "_run": _run}
    schema = _args_schema(name, function)
    if schema is not None:
        # The base class's own annotation: pydantic refuses a field re-declared with another type.
        try:
            annotations["args_schema"] = typing.get_type_hints(base).get("args_schema", type)
        except Exception:  # an unresolvable forward reference in the framework's own hints
            annotations["args_schema"] = type
        attributes["args_schema"] = schema
    attributes["__annotations__"] = annotations
    class_name = "".join(part.capitalize() for part in name.split("_")) + "Tool"
    return type(class_name, (base,), attributes)()


def build_crewai_tools(client: MissionControl, tool_set: Optional[MissionToolSet] = None) -> list[Any]:
    """The Mission Control tools for a CrewAI agent (BaseTool subclasses when crewai is installed)."""
    tools = tool_set or MissionToolSet(client)
    base = _import_base_tool()
    built: list[Any] = []
    for function in tools.functions():
        name = function.__name__
        description = inspect.getdoc(function) or name
        if base is None:
            built.append(MissionTool(name, description, function))
        else:
            built.append(_crewai_tool(base, name, description, function))
    return built
