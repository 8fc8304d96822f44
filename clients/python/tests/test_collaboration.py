"""Agents, threads, documents, WORKING.md, notifications and runs against a real server."""

from __future__ import annotations

import os
import unittest

from mission_control import MissionControl, MissionControlError
from mission_control.models import HeartbeatResponse, MeAgent, MeUser, WorkingState

from support import new_agent, owner_client, server_url, unique


class CollaborationTests(unittest.TestCase):
    def setUp(self) -> None:
        self.owner = owner_client()
        self.agent_id, self.agent = new_agent(self.owner)

    def test_me_tells_a_person_from_an_agent(self) -> None:
        self.assertIsInstance(self.owner.auth.me(), MeUser)
        me = self.agent.auth.me()
        self.assertIsInstance(me, MeAgent)
        assert isinstance(me, MeAgent)
        self.assertEqual(me.agent.id, self.agent_id)

    def test_login_signs_a_person_in_and_uses_the_new_token(self) -> None:
        client = MissionControl(server_url())
        with self.assertRaises(MissionControlError) as anonymous:
            client.auth.me()
        self.assertEqual(anonymous.exception.status, 401)
        with self.assertRaises(MissionControlError) as wrong:
            client.auth.login(os.environ["MISSION_OWNER_EMAIL"], "not the password")
        self.assertEqual(wrong.exception.code, "INVALID_CREDENTIALS")
        session = client.auth.login(os.environ["MISSION_OWNER_EMAIL"], os.environ["MISSION_OWNER_PASSWORD"])
        self.assertTrue(session.access_token)
        me = client.auth.me()
        assert isinstance(me, MeUser)
        self.assertEqual(me.user.email, os.environ["MISSION_OWNER_EMAIL"])
        self.assertEqual(me.role, "owner")

    def test_from_environment_needs_the_url_and_the_key(self) -> None:
        with self.assertRaises(MissionControlError) as missing:
            MissionControl.from_environment({"MISSION_URL": server_url()})
        self.assertEqual(missing.exception.code, "MISSING_CREDENTIALS")
        client = MissionControl.from_environment({"MISSION_URL": server_url() + "/api/v1/", "MISSION_API_KEY": "mc_x"})
        self.assertEqual(client.base_url, server_url())
        # The agent key the test run made, read from the process environment.
        self.assertIsInstance(MissionControl.from_environment().auth.me(), MeAgent)

    def test_heartbeat_answers_the_assigned_work_and_marks_the_agent_active(self) -> None:
        task = self.owner.tasks.create(unique("beat"), assignees=[{"kind": "agent", "id": self.agent_id}])
        beat = self.agent.agents.heartbeat(status="active")
        self.assertIsInstance(beat, HeartbeatResponse)
        self.assertEqual(beat.agent.id, self.agent_id)
        self.assertEqual(beat.agent.status, "active")
        self.assertIn(task.id, [item.id for item in beat.assigned_tasks])
        self.assertEqual(self.owner.agents.get(self.agent_id).status, "active")
        self.assertIsNotNone(self.owner.agents.get(self.agent_id).last_heartbeat_at)

    def test_posts_and_lists_messages_of_a_thread(self) -> None:
        task = self.owner.tasks.create(unique("thread"))
        first = self.agent.messages.post(task.key, "Starting now.")
        reply = self.owner.messages.post(task.id, "Thanks.", reply_to_id=first.id, type="answer")
        self.assertEqual(first.author.id, self.agent_id)
        self.assertEqual(reply.reply_to_id, first.id)
        thread = self.owner.messages.list(task.id).to_list()
        self.assertEqual([message.content for message in thread], ["Starting now.", "Thanks."])
        self.assertEqual(self.owner.messages.get(first.id).content, "Starting now.")

    def test_creates_and_updates_a_document_and_refuses_a_stale_base_version(self) -> None:
        title = unique("doc")
        document = self.agent.documents.create(title, "# Draft", type="research")
        self.assertEqual(document.version, 1)
        updated = self.agent.documents.update(document.id, content="# Final", base_version=1)
        self.assertEqual(updated.version, 2)
        self.assertEqual(self.owner.documents.get(document.id).content, "# Final")
        with self.assertRaises(MissionControlError) as stale:
            self.agent.documents.update(document.id, content="# Lost edit", base_version=1)
        self.assertEqual(stale.exception.status, 409)
        self.assertEqual(self.owner.documents.get(document.id).content, "# Final")
        self.assertEqual([item.id for item in self.owner.documents.list(q=title).to_list()], [document.id])

    def test_writes_working_md_with_if_match_and_refuses_a_stale_version(self) -> None:
        state = self.agent.working_state.get()
        self.assertIsInstance(state, WorkingState)
        notes = unique("notes")
        written = self.agent.working_state.update(f"- {notes}", state.version)
        self.assertEqual(written.version, state.version + 1)
        self.assertIn(notes, self.owner.working_state.get_markdown())
        with self.assertRaises(MissionControlError) as stale:
            self.owner.working_state.update("- overwritten", state.version)
        self.assertEqual(stale.exception.code, "PRECONDITION_FAILED")
        self.assertEqual(stale.exception.status, 412)
        self.assertEqual(self.owner.working_state.get().notes, f"- {notes}")

    def test_lists_the_notifications_an_assignment_sent(self) -> None:
        task = self.owner.tasks.create(unique("notify"), assignees=[{"kind": "agent", "id": self.agent_id}])
        page = self.agent.notifications.list().page()
        self.assertGreaterEqual(page.unread_count, 1)
        about_task = [item for item in self.agent.notifications.list() if item.task_id == task.id]
        self.assertEqual(len(about_task), 1)
        self.assertEqual(about_task[0].recipient.id, self.agent_id)
        read = self.agent.notifications.mark_read(about_task[0].id)
        self.assertIsNotNone(read.read_at)

    def test_lists_runs(self) -> None:
        runs = self.owner.runs.list(agent_id=self.agent_id).page()
        self.assertEqual(runs.data, [])
        self.assertIsNone(runs.next_cursor)


if __name__ == "__main__":
    unittest.main()
