"""The people of the load test: each signs in as a member and mixes reads and writes.

Run by bench/loadtest.py with locust (its own virtual environment); reads the plan the
orchestrator wrote (LOADTEST_PLAN): one session cookie and community per person, the questions
and events to visit. Every failed request is appended, with its time, to LOADTEST_FAILURES, so
the orchestrator can tell the failures after a server was stopped from those before.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from pathlib import Path

from locust import HttpUser, between, events, task

PLAN = json.loads(Path(os.environ["LOADTEST_PLAN"]).read_text(encoding="utf-8"))
FAILURES = os.environ["LOADTEST_FAILURES"]
PEOPLE = itertools.cycle(PLAN["people"])
WORDS = ("pump", "bearing", "safety", "dashboard", "supplier", "training", "vibration", "audit")


@events.request.add_listener
def _record_failure(
    request_type, name, response_time, response_length, exception, start_time=None, **kw
):
    if exception is not None:
        with open(FAILURES, "a", encoding="utf-8") as handle:
            handle.write(
                json.dumps({"at": time.time(), "name": name, "error": str(exception)[:200]}) + "\n"
            )


class Member(HttpUser):
    wait_time = between(2, 6)

    def on_start(self) -> None:
        person = next(PEOPLE)
        name, value = person["cookie"].split("=", 1)
        self.client.cookies.set(name, value)
        self.slug = person["community"]
        self.questions = PLAN["questions"].get(self.slug) or [
            q for qs in PLAN["questions"].values() for q in qs
        ]
        self.events = PLAN["events"].get(self.slug) or []
        self.client.get(f"/c/{self.slug}/questions/ask/", name="ask form")  # sets the CSRF cookie
        self.csrf = self.client.cookies.get("csrftoken", "")

    def _post(self, path: str, data: dict[str, str], name: str) -> None:
        data = {**data, "csrfmiddlewaretoken": self.csrf}
        headers = {"X-CSRFToken": self.csrf, "Referer": self.host + path}
        with self.client.post(
            path, data=data, headers=headers, name=name, allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code in (302, 303):
                answer.success()
            else:
                answer.failure(f"{name} answered {answer.status_code}, not a redirect")

    @task(10)
    def home(self) -> None:
        self.client.get("/", name="home")

    @task(10)
    def questions(self) -> None:
        self.client.get(f"/c/{self.slug}/questions/", name="questions")

    @task(20)
    def question(self) -> None:
        self.client.get(
            f"/c/{self.slug}/questions/{random.choice(self.questions)}/", name="question"
        )

    @task(8)
    def search(self) -> None:
        self.client.get(f"/search/?q={random.choice(WORDS)}", name="search")

    @task(4)
    def health(self) -> None:
        self.client.get(f"/insights/c/{self.slug}/health/", name="health")

    @task(2)
    def ask(self) -> None:
        word = random.choice(WORDS)
        self._post(
            f"/c/{self.slug}/questions/ask/",
            {
                "title": f"How do you check the {word} before a shift? {random.random():.6f}",
                "body": f"We look at the {word} every morning; what do your teams do?",
                "tags": word,
            },
            "ask",
        )

    @task(3)
    def answer(self) -> None:
        self._post(
            f"/c/{self.slug}/questions/{random.choice(self.questions)}/answer/",
            {"body": f"We keep a checklist for the {random.choice(WORDS)}; it takes two minutes."},
            "answer",
        )

    @task(3)
    def vote(self) -> None:
        self._post(f"/c/question/{random.choice(self.questions)}/vote/", {}, "vote")

    @task(2)
    def rsvp(self) -> None:
        if self.events:
            self._post(
                f"/c/{self.slug}/events/{random.choice(self.events)}/rsvp/",
                {"status": random.choice(["going", "maybe"])},
                "rsvp",
            )
