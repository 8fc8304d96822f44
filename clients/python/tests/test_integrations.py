"""The CrewAI and LangGraph adapters, with stand-ins shaped like the frameworks' tool interfaces.

The frameworks cannot be installed here, so fake ``crewai.tools`` and ``langgraph.prebuilt``
modules go into sys.modules; the tools themselves run against the real server.
"""

from __future__ import annotations

import importlib
import inspect
import json
import sys
import types
import unittest
from typing import Any, Callable, Sequence

from mission_control.integrations import crewai as crewai_adapter
from mission_control.integrations import langgraph as langgraph_adapter
from support import new_agent, owner_client, unique

TOOL_NAMES = [
    "mission_list_my_work",
    "mission_claim_next_task",
    "mission_update_task_status",
    "mission_post_message",
    "mission_write_document",
    "mission_read_working_md",
    "mission_write_working_md_notes",
]


class FakeBaseTool:
    """Like crewai.tools.BaseTool: class-level name/description, ``run`` calls ``_run``."""

    name: str
    description: str

    def run(self, *args: Any, **kwargs: Any) -> Any:
        return self._run(*args, **kwargs)

    def _run(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError


class FakeToolNode:
    """Like langgraph.prebuilt.ToolNode: built from tools, keeps them by name, runs tool calls."""

    def __init__(self, tools: Sequence[Callable[..., Any]], **options: Any) -> None:
        self.tools_by_name = {tool.__name__: tool for tool in tools}
        self.options = options

    def invoke(self, state: dict[str, Any]) -> dict[str, Any]:
        calls = state["messages"][-1]["tool_calls"]
        answers = [self.tools_by_name[call["name"]](**call["args"]) for call in calls]
        return {
            "messages": [
                {"role": "tool", "tool_call_id": call["id"], "content": answer} for call, answer in zip(calls, answers)
            ]
        }


def install_fake(name: str, attributes: dict[str, Any]) -> None:
    parent, _, child = name.partition(".")
    package = types.ModuleType(parent)
    module = types.ModuleType(name)
    for key, value in attributes.items():
        setattr(module, key, value)
    setattr(package, child, module)
    sys.modules[parent] = package
    sys.modules[name] = module


def remove_fake(name: str) -> None:
    sys.modules.pop(name, None)
    sys.modules.pop(name.partition(".")[0], None)


class CrewAiAdapterTests(unittest.TestCase):
    def setUp(self) -> None:
        self.owner = owner_client()
        self.agent_id, self.agent = new_agent(self.owner)

    def tearDown(self) -> None:
        remove_fake("crewai.tools")

    def test_without_crewai_the_tools_are_plain_objects_of_the_same_shape(self) -> None:
        remove_fake("crewai.tools")
        tools = crewai_adapter.build_crewai_tools(self.agent)
        self.assertEqual([tool.name for tool in tools], TOOL_NAMES)
        self.assertTrue(all(isinstance(tool, crewai_adapter.MissionTool) for tool in tools))
        self.assertIn("WORKING.md", tools[5].description)

    def test_with_crewai_the_tools_subclass_base_tool_and_do_the_work(self) -> None:
        install_fake("crewai.tools", {"BaseTool": FakeBaseTool})
        tools = {tool.name: tool for tool in crewai_adapter.build_crewai_tools(self.agent)}
        self.assertEqual(list(tools), TOOL_NAMES)
        self.assertTrue(all(isinstance(tool, FakeBaseTool) for tool in tools.values()))
        run_parameters = list(inspect.signature(type(tools["mission_post_message"])._run).parameters)
        self.assertEqual(run_parameters, ["self", "task_id", "content"])

        task = self.owner.tasks.create(unique("crew"), assignees=[{"kind": "agent", "id": self.agent_id}])
        claimed = json.loads(tools["mission_claim_next_task"].run())
        self.assertEqual(claimed["id"], task.id)
        tools["mission_post_message"].run(task_id=task.id, content="Working on it.")
        moved = json.loads(tools["mission_update_task_status"].run(task_id=task.key, status="review", reason="ready"))
        self.assertEqual(moved["status"], "review")
        self.assertEqual(self.owner.tasks.get(task.id).status, "review")
        self.assertEqual([m.content for m in self.owner.messages.list(task.id)], ["Working on it."])

    def test_a_refused_status_change_answers_the_error_code(self) -> None:
        install_fake("crewai.tools", {"BaseTool": FakeBaseTool})
        tools = {tool.name: tool for tool in crewai_adapter.build_crewai_tools(self.agent)}
        answer = json.loads(tools["mission_update_task_status"].run(task_id="TASK-999999", status="done"))
        self.assertEqual(answer["error"]["code"], "TASK_NOT_FOUND")


class LangGraphAdapterTests(unittest.TestCase):
    def setUp(self) -> None:
        self.owner = owner_client()
        self.agent_id, self.agent = new_agent(self.owner)

    def tearDown(self) -> None:
        remove_fake("langgraph.prebuilt")

    def test_without_langgraph_the_node_names_the_missing_package(self) -> None:
        remove_fake("langgraph.prebuilt")
        importlib.reload(langgraph_adapter)
        with self.assertRaises(ImportError) as missing:
            langgraph_adapter.build_tool_node(self.agent)
        self.assertIn("langgraph", str(missing.exception))
        self.assertEqual([tool.__name__ for tool in langgraph_adapter.langgraph_tools(self.agent)], TOOL_NAMES)

    def test_the_tool_node_runs_tool_calls_against_the_server(self) -> None:
        install_fake("langgraph.prebuilt", {"ToolNode": FakeToolNode})
        node = langgraph_adapter.build_tool_node(self.agent, handle_tool_errors=True)
        self.assertIsInstance(node, FakeToolNode)
        self.assertEqual(list(node.tools_by_name), TOOL_NAMES)
        self.assertEqual(node.options, {"handle_tool_errors": True})
        title = unique("graph-doc")
        answer = node.invoke(
            {
                "messages": [
                    {
                        "role": "assistant",
                        "tool_calls": [
                            {
                                "id": "call-1",
                                "name": "mission_write_document",
                                "args": {"title": title, "content": "# Hi"},
                            },
                            {"id": "call-2", "name": "mission_read_working_md", "args": {}},
                        ],
                    }
                ]
            }
        )
        written = json.loads(answer["messages"][0]["content"])
        self.assertEqual(self.owner.documents.get(written["id"]).content, "# Hi")
        self.assertIn("#", answer["messages"][1]["content"])


if __name__ == "__main__":
    unittest.main()
