"""The generated models: tolerant of keys a newer server adds, and faithful in to_dict."""

from __future__ import annotations

import unittest

from mission_control.errors import error_from_response, parse_retry_after
from mission_control.errors import CLIENT_ERROR_CODES
from mission_control.models import ERROR_CODES, MeAgent, Task, parse_me


def task_json(**extra: object) -> dict[str, object]:
    return {
        "id": "0190a0a0-0000-7000-8000-000000000001",
        "key": "TASK-1",
        "number": 1,
        "workspaceId": "0190a0a0-0000-7000-8000-000000000002",
        "title": "Title",
        "description": "",
        "status": "inbox",
        "priority": "medium",
        "assignees": [{"kind": "agent", "id": "a", "name": "scout"}],
        "creator": {"kind": "user", "id": "u", "name": "Owner"},
        "parentId": None,
        "dependencyIds": [],
        "requiredCapabilities": [],
        "dueAt": None,
        "createdAt": "2026-01-01T00:00:00.000Z",
        "updatedAt": "2026-01-01T00:00:00.000Z",
        "completedAt": None,
        "lease": None,
        **extra,
    }


class ModelTests(unittest.TestCase):
    def test_from_dict_ignores_unknown_keys(self) -> None:
        task = Task.from_dict(task_json(addedInAFutureVersion={"x": 1}))
        self.assertEqual(task.key, "TASK-1")
        self.assertEqual(task.assignees[0].kind, "agent")
        self.assertEqual(task.creator.id, "u")

    def test_to_dict_uses_the_servers_key_names(self) -> None:
        data = task_json()
        self.assertEqual(Task.from_dict(data).to_dict()["workspaceId"], data["workspaceId"])

    def test_parse_me_picks_the_variant_by_kind(self) -> None:
        me = parse_me({"kind": "agent", "agent": {"id": "a", "name": "n", "sessionKey": "s"}, "workspace": {}})
        self.assertIsInstance(me, MeAgent)
        with self.assertRaises(ValueError):
            parse_me({"kind": "robot"})

    def test_the_error_codes_come_from_the_contracts(self) -> None:
        for code in ("TASK_NOT_FOUND", "LEASE_CONFLICT", "PRECONDITION_FAILED", "IDEMPOTENCY_KEY_IN_USE"):
            self.assertIn(code, ERROR_CODES)
        self.assertFalse(set(CLIENT_ERROR_CODES) & set(ERROR_CODES))

    def test_error_body_keeps_the_code_and_details(self) -> None:
        error = error_from_response(
            409, '{"error":{"code":"LEASE_CONFLICT","message":"held","details":{"a":1}}}', "2"
        )
        self.assertEqual((error.code, error.status, error.details), ("LEASE_CONFLICT", 409, {"a": 1}))
        self.assertEqual(error.retry_after_seconds, 2.0)
        self.assertEqual(error_from_response(503, "bad gateway", None).code, "SERVICE_UNAVAILABLE")
        self.assertIsNone(parse_retry_after("soon"))


if __name__ == "__main__":
    unittest.main()
