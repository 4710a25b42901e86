"""The search page: parse the GET form, ask the one search selector, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cultivate.apps.communities.selectors import communities_visible_to

from .cards import ResultCard, result_cards
from .forms import SearchForm
from .selectors import SearchPage, search


def _page_number(raw: str | None) -> int:
    """Return the requested page; anything that is not a positive number means the first."""
    try:
        return max(1, int(raw or 1))
    except ValueError:
        return 1


@require_GET
def search_view(request: HttpRequest) -> HttpResponse:
    """Show ranked, highlighted hits from the communities this person may see, one card a thread."""
    communities = list(communities_visible_to(request.user).order_by("name"))
    form = SearchForm(request.GET or None, communities=communities)
    results: SearchPage | None = None
    cards: list[ResultCard] = []
    query_string = ""
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        data = form.cleaned_data
        results = search(
            request.user,
            data["q"],
            community_slug=data["community"],
            kind=data["kind"],
            tag=data["tag"],
            solved=data["solved"],
            since=form.since_moment(timezone.now()),
            page=_page_number(request.GET.get("page")),
        )
        cards = result_cards(results.hits)
        query_string = urlencode({k: v for k, v in data.items() if v})
    return render(
        request,
        "search/search.html",
        {"form": form, "results": results, "cards": cards, "query_string": query_string},
    )
