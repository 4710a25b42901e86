"""What sharing adds to the Health page: questions that answered someone before they asked."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cultivate.apps.communities.models import Community
from cultivate.apps.insights.figures import HealthFigure

from .models import QuestionReuse


def reuse_figures(community: Community, since: datetime, until: datetime) -> list[HealthFigure]:
    """Count the duplicates avoided: members who found their answer instead of asking again."""
    reused = QuestionReuse.objects.filter(
        question__community=community, created_at__gt=since, created_at__lte=until
    ).count()
    return [
        HealthFigure(
            label=_("Duplicates avoided"),
            value=str(reused),
            note=ngettext(
                "a member found their answer in a question asked before",
                "members found their answer in a question asked before",
                reused,
            ),
        )
    ]
