"""Plan the demo organisation: who exists, which communities, and every act in time order.

Pure Python and deterministic: one `random.Random(seed)` decides everything, and the only time
that matters is the end date passed in. `services.demo_organisation_create` then replays the plan
through the real services, so every act records its Activity exactly as a person's would.

Each community follows a profile chosen to land it at a maturity level (docs/maturity.md):
silent (level 0), broadcast-heavy and fading (level 1), question-rich (level 2), and one
question-rich community that runs a monthly topic agenda and co-writes best practices (level 3).
"""

from __future__ import annotations

import itertools
import random
from datetime import datetime, timedelta

from .cast import COMMUNITIES, MIN_PEOPLE, DemoPlan, plan_people
from .planner import CommunityPlanner
from .together import plan_together


def build_plan(*, seed: int, end: datetime, people: int = 300, months: int = 18) -> DemoPlan:
    """Return the whole demo organisation as a deterministic plan ending at `end`."""
    if end.tzinfo is None or end.utcoffset() is None:
        raise ValueError("end must be timezone-aware")
    if people < MIN_PEOPLE:
        raise ValueError(f"the demo needs at least {MIN_PEOPLE} people (got {people})")
    if not 6 <= months <= 60:
        raise ValueError(f"history must be 6 to 60 months long (got {months})")
    rng = random.Random(seed)
    end = end.replace(microsecond=0)
    start = end - timedelta(days=round(months * 30.44))
    plan = DemoPlan(
        seed=seed,
        start=start,
        end=end,
        people=plan_people(rng, people, start),
        communities=COMMUNITIES,
    )
    keys, seq = itertools.count(1), itertools.count(1)
    for index in range(len(COMMUNITIES)):
        planner = CommunityPlanner(
            plan=plan, index=index, rng=random.Random(rng.getrandbits(64)), keys=keys, seq=seq
        )
        planner.plan_members()
        planner.plan_content()
        plan_together(planner)
        planner.top_up()
        plan.events.extend(sorted(planner.events, key=lambda e: (e.at, e.seq)))
    return plan
