"""Rate limits: how often a person, or an address, may sign in, sign up, reset a password, post,
search and call the API, and the 429 page that says when to try again.

Counters live in the "limits" cache, which every server shares (Redis when it is set, else a table
in the database), in fixed windows: a rule of 30 per 10 minutes counts from :00, :10, :20... and
the refused request is told how many seconds are left in its window (Retry-After). Signed-in
people are counted one by one; an address is counted only for requests nobody signed in made, so a
whole office behind one address is never throttled together. Failed logins per account are
django-axes' (its lockout answers through `lockout_response` here).

A limit that cannot be counted (the cache is away) lets the request through: limits slow abuse,
they must never take the site down with them.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

logger = logging.getLogger("cultivate.limits")

clock: Callable[[], float] = time.time
"""The limiter's clock (tests move it forward to see a limit reset)."""


@dataclass(frozen=True)
class Rate:
    """So many requests per so many seconds."""

    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """Read "30/10m", "5/h", "600/min" or "20/30s"."""
        count, _slash, period = text.partition("/")
        number = "".join(ch for ch in period if ch.isdigit()) or "1"
        unit = period[len(number) :] if period[:1].isdigit() else period
        seconds = {"s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}.get(unit)
        if not count.isdigit() or seconds is None:
            raise ValueError(f"{text!r} is not a rate: write it like '30/10m' (s, m, h or d)")
        return cls(int(count), int(number) * seconds)


@dataclass(frozen=True)
class Rule:
    """What one kind of request may do: per signed-in person, per address when anonymous."""

    name: str
    person: Rate | None
    address: Rate | None
    email: Rate | None = None  # each e-mail address a request asks about, whoever asks


def rules() -> dict[str, Rule]:
    """The rules as settings.CULTIVATE_RATE_LIMITS gives them (see base.py)."""
    return {
        name: Rule(
            name=name,
            person=Rate.parse(rates["person"]) if rates.get("person") else None,
            address=Rate.parse(rates["address"]) if rates.get("address") else None,
            email=Rate.parse(rates["email"]) if rates.get("email") else None,
        )
        for name, rates in settings.CULTIVATE_RATE_LIMITS.items()
    }


# Which requests each rule counts, by the view's name (namespace:name) and method.
_WRITES = {
    "sharing:ask", "sharing:answer", "sharing:comment", "sharing:post_new", "sharing:edit",
    "sharing:flag", "communities:new", "communities:invite", "decisions:proposal_new",
    "meetings:event_new", "practices:new", "agenda:topic_new", "agenda:help_new",
    "celebrations:kudos_new", "imports:upload",
}  # fmt: skip
_RULE_OF_VIEW = {
    ("POST", "accounts:login"): "login",
    ("POST", "admin:login"): "login",
    ("POST", "accounts:sign_up_finish"): "login",  # it asks for the sign-up's password
    ("POST", "accounts:signup"): "signup",
    ("POST", "accounts:password_reset"): "password_reset",
    ("GET", "search:search"): "search",
    ("GET", "sso:start"): "login",  # each start stores a session: counted like a login
    ("GET", "sso:callback"): "login",
    **{("POST", view): "post" for view in _WRITES},
}


def rule_names_for(request: HttpRequest, view_name: str) -> list[str]:
    """The rules a request counts against (an API call that creates also counts as posting)."""
    if request.path.startswith("/api/"):
        # A create shares its address with its list, so the method decides: every POST of
        # the API writes something (a post, an answer, a vote, an RSVP) and counts as posting.
        return ["api", "post"] if request.method == "POST" else ["api"]
    name = _RULE_OF_VIEW.get((request.method or "", view_name))
    return [name] if name else []


def client_address(request: HttpRequest) -> str | None:
    """The address the request came from, past the proxies we were told to trust.

    With CULTIVATE_PROXY_COUNT proxies in front (nginx: 1), the address is the one the outermost
    of them saw, counted from the right of X-Forwarded-For; the client can only add to the left.
    """
    proxies = int(getattr(settings, "CULTIVATE_PROXY_COUNT", 0))
    if proxies > 0:
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        hops = [hop.strip() for hop in forwarded.split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= proxies and _is_address(hops[-proxies]):
            return hops[-proxies]
    remote = request.META.get("REMOTE_ADDR") or None
    return remote if remote and _is_address(remote) else None


def address_key(request: HttpRequest) -> str:
    """What the per-address limits count: the IPv4 address, or the IPv6 /64 around it (one
    home or office network holds a whole /64, and walking through it must not reset a limit)."""
    address = client_address(request)
    if address is None:
        return "unknown"
    parsed = ipaddress.ip_address(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(parsed)


def _is_address(text: str) -> bool:
    """Whether the text is an IP address (a header may hold anything)."""
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


TokenOwner = Callable[[str], int | None]
_token_owners: list[TokenOwner] = []


def token_owner_register(owner_of: TokenOwner) -> None:
    """The API tells the limits whose a bearer token is (this layer cannot read tokens)."""
    if owner_of not in _token_owners:
        _token_owners.append(owner_of)


def _caller(request: HttpRequest) -> tuple[str, str] | None:
    """("person", id) for a signed-in person or the owner of a valid API token; None for an
    anonymous request, and for a token nobody owns: made-up tokens count against the address,
    so a client cannot dodge its limit by sending a new one with each request."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return ("person", str(user.pk))
    authorization = request.META.get("HTTP_AUTHORIZATION", "")
    if authorization.lower().startswith("bearer ") and request.path.startswith("/api/"):
        secret = authorization[7:].strip()
        for owner_of in _token_owners:
            owner = owner_of(secret) if secret else None
            if owner is not None:
                return ("person", str(owner))
    return None


def _count(rule: str, who: str, rate: Rate) -> int | None:
    """Count one request; return the seconds to wait when it is over the rate, else None."""
    now = clock()
    window = int(now // rate.seconds)
    digest = hashlib.sha256(who.encode()).hexdigest()[:32]
    key = f"limit:{rule}:{digest}:{rate.seconds}:{window}"
    cache = caches["limits"]
    try:
        cache.add(key, 0, timeout=rate.seconds + 60)
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=rate.seconds + 60)
        count = 1
    except Exception as error:
        logger.warning("rate limit %s not counted: %s", rule, error)
        return None
    if count <= rate.count:
        return None
    return max(1, math.ceil((window + 1) * rate.seconds - now))


def wait_seconds(request: HttpRequest, rule: Rule) -> int | None:
    """Count the request against the rule; the seconds to wait if it is over, else None."""
    caller = _caller(request)
    waits: list[int] = []
    if caller is not None and rule.person is not None:
        waits.append(_count(rule.name, ":".join(caller), rule.person) or 0)
    if caller is None and rule.address is not None:
        waits.append(_count(rule.name, f"address:{address_key(request)}", rule.address) or 0)
    if rule.email is not None and request.method == "POST":
        email = str(request.POST.get("email", "")).strip().lower()
        if email:
            waits.append(_count(rule.name, f"email:{email}", rule.email) or 0)
    return max(waits, default=0) or None


def too_many_requests(request: HttpRequest, seconds: int) -> HttpResponse:
    """429 with Retry-After: JSON under /api/, else a page saying when to try again."""
    seconds = max(1, int(seconds))
    minutes = math.ceil(seconds / 60)
    wait = (
        ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
        if seconds < 120
        else ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    )
    if request.path.startswith("/api/"):
        detail = _("Too many requests: try again in %(wait)s.") % {"wait": wait}
        response: HttpResponse = JsonResponse(
            {"code": "too_many_requests", "detail": detail, "retry_after": seconds}, status=429
        )
    else:
        again_at = timezone.localtime(timezone.now() + timedelta(seconds=seconds))
        response = render(request, "429.html", {"wait": wait, "again_at": again_at}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' lockout, answered like every other limit: 429, Retry-After, when to retry."""
    cool_off: timedelta = settings.AXES_COOLOFF_TIME
    return too_many_requests(request, int(cool_off.total_seconds()))


class RateLimitMiddleware:
    """Refuse, with 429, a request over the rule its view counts against."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or not getattr(settings, "CULTIVATE_RATE_LIMITS_ON", True):
            return None
        known = rules()
        waits = [
            wait_seconds(request, known[name])
            for name in rule_names_for(request, match.view_name)
            if name in known
        ]
        longest = max((wait for wait in waits if wait), default=None)
        return too_many_requests(request, longest) if longest else None
