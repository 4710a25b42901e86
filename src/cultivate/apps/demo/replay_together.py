"""Replay the plan's relationship-step and agenda acts through the real services, with `at=`.

`services._Replayer` handles membership and sharing; it hands every other kind of plan event
here. Objects later events point at (events, proposals, action items, topics, documents, help
requests, contributions) are kept by their plan key.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError

from cultivate.apps.accounts.models import User
from cultivate.apps.agenda.helping import (
    contribution_thank,
    help_contribute,
    help_request_create,
)
from cultivate.apps.agenda.models import Topic
from cultivate.apps.agenda.services import (
    prioritisation_close,
    prioritisation_open,
    topic_propose,
    topic_schedule,
)
from cultivate.apps.celebrations.services import kudos_give
from cultivate.apps.communities.models import Community
from cultivate.apps.decisions.actions import action_item_create, action_item_set_status
from cultivate.apps.decisions.models import PollOption
from cultivate.apps.decisions.services import proposal_close, proposal_create, stance_take
from cultivate.apps.meetings.coffee import coffee_met, coffee_opt_in, coffee_round_run
from cultivate.apps.meetings.services import (
    attendance_take,
    event_create,
    event_notes_save,
    rsvp_set,
)
from cultivate.apps.practices.reviewing import document_publish, review_give, review_request
from cultivate.apps.practices.services import revision_save

from .cast import DemoPlan, Event

EVENT_LENGTH = timedelta(minutes=90)
MET_SHARE = 0.6
"""Share of coffee pairs who say they met, a few days after the round."""
ZONES = ("Europe/Berlin", "Europe/London", "America/Chicago", "Asia/Singapore")


class TogetherReplayer:
    """Apply one community act of the relationship steps or the agenda."""

    def __init__(self, plan: DemoPlan, users: list[User]) -> None:
        self.plan, self.users = plan, users
        self.objects: dict[int, Any] = {}
        self.poll_options: dict[tuple[int, int], PollOption] = {}

    def apply(self, event: Event, community: Community) -> None:
        handler = getattr(self, f"_{event.kind}", None)
        if handler is None:
            raise ValueError(f"unknown demo event {event.kind!r}")
        handler(event, community, self.users[event.actor])

    def _user(self, index: int) -> User:
        return self.users[index]

    # -- meeting and sitting together --

    def _gathering(self, event: Event, community: Community, actor: User) -> None:
        assert event.due is not None
        capacity = int(event.tags[0]) if event.tags and int(event.tags[0]) > 0 else None
        online = event.choice in ("webinar", "coffee")
        self.objects[event.key] = event_create(
            community=community,
            host=actor,
            title=event.title,
            starts_at=event.due,
            ends_at=event.due + EVENT_LENGTH,
            time_zone=ZONES[event.key % len(ZONES)],
            kind=event.choice,
            location="" if online else f"Training room, {self.plan.people[event.actor].site}",
            link="https://meet.example.com/cultivate-demo" if online else "",
            capacity=capacity,
            description=f"{event.title}. Everyone in {community.name} is welcome.",
            at=event.at,
        )

    def _rsvp(self, event: Event, community: Community, actor: User) -> None:
        rsvp_set(event=self.objects[event.target], user=actor, status="going", at=event.at)

    def _attendance(self, event: Event, community: Community, actor: User) -> None:
        attendance_take(
            event=self.objects[event.target],
            by=actor,
            present_ids=[self._user(p).pk for p in event.people],
            at=event.at,
        )

    def _notes(self, event: Event, community: Community, actor: User) -> None:
        event_notes_save(event=self.objects[event.target], by=actor, notes=event.body, at=event.at)

    def _coffee_optin(self, event: Event, community: Community, actor: User) -> None:
        coffee_opt_in(community=community, user=actor, at=event.at)

    def _coffee_round(self, event: Event, community: Community, actor: User) -> None:
        try:
            round_ = coffee_round_run(community=community, by=actor, seed=event.seq, at=event.at)
        except ValidationError:
            return  # fewer than two opted in yet: the round pairs nobody, as it would live
        rng = random.Random(event.seq)
        # The members of every pair in one query; each pair shares the community already read.
        for pair in round_.pairs.prefetch_related("members"):
            pair.community = community
            if rng.random() >= MET_SHARE:
                continue
            met = event.at + timedelta(days=rng.uniform(1, 6))
            if met < self.plan.end:
                reporter = rng.choice(list(pair.members.all()))
                coffee_met(pair=pair, by=reporter, at=met)

    # -- deciding and carrying out --

    def _propose(self, event: Event, community: Community, actor: User) -> None:
        assert event.due is not None
        self.objects[event.key] = proposal_create(
            community=community,
            by=actor,
            title=event.title,
            body=event.body,
            deadline=event.due,
            process=event.choice,
            options=None,
            at=event.at,
        )

    def _stance(self, event: Event, community: Community, actor: User) -> None:
        target = self.objects[event.target]
        if event.choice.isdigit():  # a vote in a topic poll: the option of that topic
            option = self.poll_options[(event.target, int(event.choice))]
            stance_take(proposal=target.proposal, by=actor, option=option, at=event.at)
            return
        stance_take(proposal=target, by=actor, stance=event.choice, reason=event.body, at=event.at)

    def _close(self, event: Event, community: Community, actor: User) -> None:
        target = self.objects[event.target]
        if event.body:
            proposal_close(proposal=target, by=actor, outcome=event.body, at=event.at)
        else:
            prioritisation_close(prioritisation=target, by=actor, at=event.at)

    def _action(self, event: Event, community: Community, actor: User) -> None:
        assert event.due is not None
        self.objects[event.key] = action_item_create(
            community=community,
            by=actor,
            title=event.title,
            owner=self._user(event.people[0]),
            due=event.due.date(),
            proposal=self.objects[event.target],
            at=event.at,
        )

    def _done(self, event: Event, community: Community, actor: User) -> None:
        action_item_set_status(
            item=self.objects[event.target], by=actor, status="done", at=event.at
        )

    # -- celebrating --

    def _kudos(self, event: Event, community: Community, actor: User) -> None:
        kudos_give(
            community=community,
            giver=actor,
            receiver=self._user(event.target),
            reason=event.body,
            at=event.at,
        )

    # -- the agenda, best practices and help requests --

    def _topic(self, event: Event, community: Community, actor: User) -> None:
        self.objects[event.key] = topic_propose(
            community=community,
            by=actor,
            title=event.title,
            why=event.body,
            deliverable=f"A best practice on {event.title}",
            at=event.at,
        )

    def _prioritise(self, event: Event, community: Community, actor: User) -> None:
        assert event.due is not None
        topics = [self.objects[key] for key in event.people]
        prioritisation = prioritisation_open(
            community=community, by=actor, deadline=event.due, topics=topics, at=event.at
        )
        self.objects[event.key] = prioritisation
        by_topic = {topic.pk: key for key, topic in zip(event.people, topics, strict=True)}
        for option in prioritisation.proposal.options.all():
            key = by_topic.get(option.object_id or -1)
            if key is not None:
                self.poll_options[(event.key, key)] = option

    def _schedule(self, event: Event, community: Community, actor: User) -> None:
        assert event.due is not None
        topic = (
            Topic.objects.filter(community=community, title=event.title, document__isnull=True)
            .order_by("-pk")
            .first()
        )
        if topic is None:
            topic = topic_propose(
                community=community, by=actor, title=event.title, why=event.body, at=event.at
            )
        topic = topic_schedule(
            topic=topic,
            by=actor,
            owner=self._user(event.people[0]),
            starts_on=event.at.date(),
            ends_on=event.due.date(),
            deliverable_title=event.body,
            at=event.at,
        )
        self.objects[event.key] = topic.document

    def _revise(self, event: Event, community: Community, actor: User) -> None:
        document = self.objects[event.target]
        document.refresh_from_db()
        revision_save(
            document=document,
            by=actor,
            body=f"{document.body.rstrip()}\n\n{event.body}",
            base_number=document.head_number,
            message="Added a section",
            at=event.at,
        )

    def _review_request(self, event: Event, community: Community, actor: User) -> None:
        review_request(
            document=self.objects[event.target],
            by=actor,
            reviewers=[self._user(p) for p in event.people],
            at=event.at,
        )

    def _approve(self, event: Event, community: Community, actor: User) -> None:
        review_give(document=self.objects[event.target], by=actor, approve=True, at=event.at)

    def _publish(self, event: Event, community: Community, actor: User) -> None:
        document = self.objects[event.target]
        document.refresh_from_db()
        document_publish(
            document=document,
            by=actor,
            review_by=(event.at + timedelta(days=365)).date(),
            at=event.at,
        )

    def _help_request(self, event: Event, community: Community, actor: User) -> None:
        assert event.due is not None
        self.objects[event.key] = help_request_create(
            community=community,
            by=actor,
            title=event.title,
            body=event.body,
            due=event.due.date(),
            at=event.at,
        )

    def _help(self, event: Event, community: Community, actor: User) -> None:
        self.objects[event.key] = help_contribute(
            request=self.objects[event.target], by=actor, body=event.body, at=event.at
        )

    def _thanks(self, event: Event, community: Community, actor: User) -> None:
        contribution_thank(contribution=self.objects[event.target], by=actor, at=event.at)
