"""Tasks against a real server: create/list/get, claims and leases, errors, idempotency, pages."""

from __future__ import annotations

import os
import unittest

from mission_control import MissionControl, MissionControlError
from mission_control.models import ClaimResult, Task

from support import LossyProxy, new_agent, owner_client, unique


class TaskTests(unittest.TestCase):
    def setUp(self) -> None:
        self.owner = owner_client()
        self.agent_id, self.agent = new_agent(self.owner)

    def assign_new_task(self, title: str) -> Task:
        return self.owner.tasks.create(title, priority="high", assignees=[{"kind": "agent", "id": self.agent_id}])

    def test_creates_lists_and_gets_a_task(self) -> None:
        marker = unique("create")
        task = self.owner.tasks.create(f"Write the {marker} report", description="Two pages.", priority="urgent")
        self.assertIsInstance(task, Task)
        self.assertEqual(task.status, "inbox")
        self.assertEqual(task.priority, "urgent")
        self.assertTrue(task.key.startswith("TASK-"))
        listed = self.owner.tasks.list(q=marker).to_list()
        self.assertEqual([item.id for item in listed], [task.id])
        by_key = self.owner.tasks.get(task.key)
        self.assertEqual(by_key.id, task.id)
        self.assertEqual(by_key.description, "Two pages.")
        self.assertEqual(by_key.creator.kind, "user")

    def test_claims_the_next_task_and_finishes_it_with_the_lease_token(self) -> None:
        task = self.assign_new_task(unique("claim-next"))
        claim = self.agent.tasks.claim_next()
        assert claim is not None
        self.assertIsInstance(claim, ClaimResult)
        self.assertEqual(claim.task.id, task.id)
        self.assertEqual(claim.task.status, "in_progress")
        self.assertEqual(claim.lease.holder.id, self.agent_id)
        # At its concurrency limit (1) the agent may not claim another.
        with self.assertRaises(MissionControlError) as full:
            self.agent.tasks.claim_next()
        self.assertEqual(full.exception.code, "AGENT_AT_CAPACITY")
        done = self.agent.tasks.update_status(task.id, "done", lease_token=claim.lease.token)
        self.assertEqual(done.status, "done")
        self.assertEqual(self.owner.tasks.get(task.id).status, "done")
        self.assertIsNotNone(self.owner.tasks.get(task.id).completed_at)

    def test_claim_next_answers_none_when_nothing_is_waiting(self) -> None:
        # A workspace of its own, where no other test leaves inbox tasks behind.
        quiet_owner = MissionControl(self.owner.base_url, access_token=os.environ["MISSION_OTHER_OWNER_TOKEN"])
        _, quiet_agent = new_agent(quiet_owner)
        self.assertIsNone(quiet_agent.tasks.claim_next())

    def test_releases_a_claimed_task_back_to_the_board(self) -> None:
        task = self.assign_new_task(unique("release"))
        claim = self.agent.tasks.claim(task.key)
        released = self.agent.tasks.release(task.id, claim.lease.token, status="blocked", reason="needs input")
        self.assertEqual(released.status, "blocked")
        self.assertIsNone(released.lease)
        self.assertEqual(self.owner.tasks.get(task.id).status, "blocked")

    def test_raises_the_stable_code_on_404_and_409(self) -> None:
        with self.assertRaises(MissionControlError) as missing:
            self.owner.tasks.get("TASK-999999")
        self.assertEqual(missing.exception.code, "TASK_NOT_FOUND")
        self.assertEqual(missing.exception.status, 404)

        task = self.assign_new_task(unique("conflict"))
        claim = self.agent.tasks.claim(task.id)
        with self.assertRaises(MissionControlError) as stale:
            self.agent.tasks.update_status(task.id, "review", lease_token="not-the-token")
        self.assertEqual(stale.exception.status, 409)
        self.assertEqual(stale.exception.code, "LEASE_CONFLICT")
        self.assertEqual(self.owner.tasks.get(task.id).status, "in_progress")
        self.agent.tasks.update_status(task.id, "review", lease_token=claim.lease.token)

    def test_the_same_idempotency_key_twice_makes_one_task(self) -> None:
        marker = unique("idempotent")
        first = self.owner.tasks.create(marker, idempotency_key=marker)
        second = self.owner.tasks.create(marker, idempotency_key=marker)
        self.assertEqual(first.id, second.id)
        self.assertEqual(len(self.owner.tasks.list(q=marker).to_list()), 1)

    def test_a_lost_answer_is_retried_with_the_same_key_and_makes_one_task(self) -> None:
        marker = unique("lost-answer")
        lost: list[str] = []

        def lose_first_create(method: str, path: str) -> bool:
            if method == "POST" and path == "/api/v1/tasks" and not lost:
                lost.append(path)
                return True
            return False

        proxy = LossyProxy(self.owner.base_url, lose_first_create)
        try:
            through_proxy = owner_client(proxy.url)
            task = through_proxy.tasks.create(marker)
        finally:
            proxy.close()
        self.assertEqual(len(proxy.seen_keys), 2)
        self.assertIsNotNone(proxy.seen_keys[0])
        self.assertEqual(proxy.seen_keys[0], proxy.seen_keys[1])
        self.assertEqual([item.id for item in self.owner.tasks.list(q=marker).to_list()], [task.id])

    def test_a_patch_is_not_retried(self) -> None:
        task = self.owner.tasks.create(unique("patch"))
        proxy = LossyProxy(self.owner.base_url, lambda method, path: method == "PATCH")
        try:
            through_proxy = owner_client(proxy.url)
            with self.assertRaises(MissionControlError) as lost:
                through_proxy.tasks.update(task.id, title="renamed")
        finally:
            proxy.close()
        self.assertEqual(lost.exception.code, "SERVICE_UNAVAILABLE")
        self.assertEqual(len(proxy.seen_keys), 1)

    def test_the_iterator_walks_every_page(self) -> None:
        marker = unique("pages")
        created = {self.owner.tasks.create(f"{marker} {number}").id for number in range(5)}
        first = self.owner.tasks.list(q=marker, limit=2).page()
        self.assertEqual(len(first.data), 2)
        self.assertIsNotNone(first.next_cursor)
        walked = [task.id for task in self.owner.tasks.list(q=marker, limit=2)]
        self.assertEqual(len(walked), 5)
        self.assertEqual(set(walked), created)
        self.assertEqual(len(self.owner.tasks.list(q=marker, limit=2).to_list(limit=3)), 3)


if __name__ == "__main__":
    unittest.main()
