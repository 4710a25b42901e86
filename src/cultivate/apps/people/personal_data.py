"""Everything Cultivate holds about one person, as they would take it away: their profile, what
they wrote (questions, answers, comments, posts), their votes, RSVPs, stances, kudos given and
received, memberships and notifications. JSON for programs, HTML for people."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime
from typing import Any

from django.template.loader import render_to_string

from cultivate.apps.accounts.models import User
from cultivate.apps.celebrations.models import Kudos
from cultivate.apps.communities.models import Membership
from cultivate.apps.decisions.models import Stance
from cultivate.apps.meetings.models import Rsvp
from cultivate.apps.notifications.models import Notification
from cultivate.apps.sharing.models import Answer, Comment, Post, Question, Vote


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def personal_data_of(user: User) -> dict[str, Any]:
    """The person's data as plain values (no other person's personal data but names)."""
    return {
        "profile": {
            "username": user.username,
            "name": user.display_name,
            "email": user.email,
            "title": user.title,
            "department": user.department,
            "location": user.location,
            "bio": user.bio,
            "expertise": sorted(e.name for e in user.expertise.all()),
            "language": user.language,
            "time_zone": user.time_zone,
            "joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
        },
        "memberships": [
            {
                "community": m.community.name,
                "role": m.role,
                "state": m.state,
                "joined": _when(m.joined_at),
            }
            for m in Membership.objects.filter(user=user).select_related("community")
        ],
        "questions": [
            {
                "community": q.community.name,
                "title": q.title,
                "body": q.body,
                "written": _when(q.created_at),
            }
            for q in Question.objects.filter(author=user).select_related("community")
        ],
        "answers": [
            {
                "community": a.community.name,
                "question": a.question.title,
                "body": a.body,
                "written": _when(a.created_at),
            }
            for a in Answer.objects.filter(author=user).select_related("community", "question")
        ],
        "comments": [
            {"community": c.community.name, "body": c.body, "written": _when(c.created_at)}
            for c in Comment.objects.filter(author=user).select_related("community")
        ],
        "posts": [
            {
                "community": p.community.name,
                "title": p.title,
                "body": p.body,
                "written": _when(p.created_at),
            }
            for p in Post.objects.filter(author=user).select_related("community")
        ],
        "votes": [
            {
                "on": "question" if v.question_id else "answer" if v.answer_id else "post",
                "id": v.question_id or v.answer_id or v.post_id,
                "at": _when(v.created_at),
            }
            for v in Vote.objects.filter(user=user)
        ],
        "rsvps": [
            {"event": r.event.title, "status": r.status, "at": _when(r.updated_at)}
            for r in Rsvp.objects.filter(user=user).select_related("event")
        ],
        "stances": [
            {
                "proposal": s.proposal.title,
                "stance": s.stance or None,
                "option": str(s.option) if s.option_id else None,
                "reason": s.reason,
                "at": _when(s.updated_at),
            }
            for s in Stance.objects.filter(user=user).select_related("proposal", "option")
        ],
        "kudos_given": [
            {
                "to": k.receiver.name,
                "community": k.community.name,
                "reason": k.reason,
                "at": _when(k.created_at),
            }
            for k in Kudos.objects.filter(giver=user).select_related("receiver", "community")
        ],
        "kudos_received": [
            {
                "from": k.giver.name,
                "community": k.community.name,
                "reason": k.reason,
                "at": _when(k.created_at),
            }
            for k in Kudos.objects.filter(receiver=user).select_related("giver", "community")
        ],
        "notifications": [
            {"notice": n.summary, "url": n.url, "at": _when(n.created_at), "read": _when(n.read_at)}
            for n in Notification.objects.filter(recipient=user)
        ],
    }


def personal_data_zip(user: User) -> bytes:
    """data.json and data.html (readable in any browser, nothing fetched) in one zip."""
    data = personal_data_of(user)
    page = render_to_string("people/personal_data.html", {"person": user, "data": data})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
        archive.writestr("data.html", page)
    return buffer.getvalue()
