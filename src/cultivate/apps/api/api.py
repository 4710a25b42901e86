"""The REST API (OpenAPI at /api/docs): thin endpoints over the web's selectors and services.

Reading public content needs no login; writing needs a personal access token or the browser's
session. A private community and everything in it answer 404 to a non-member, as the pages do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation
from ninja.params import functions as params

from cultivate.apps.communities.models import Community
from cultivate.apps.communities.selectors import communities_visible_to, community_get_for_user
from cultivate.apps.sharing import selectors as sharing
from cultivate.apps.sharing.experts import who_can_answer
from cultivate.apps.sharing.models import Answer, Post, Question
from cultivate.apps.sharing.permissions import check_see_experts
from cultivate.apps.sharing.services import answer_accept, answer_create, post_create, question_ask
from cultivate.apps.sharing.similar import similar_questions

from .auth import READ, WRITE, anonymous
from .schemas import (
    MAX_ID,
    AnswerIn,
    AnswerOut,
    CommunityOut,
    ErrorOut,
    ExpertOut,
    PostFilters,
    PostIn,
    PostOut,
    QuestionDetailOut,
    QuestionFilters,
    QuestionIn,
    QuestionOut,
    SimilarOut,
)
from .shaping import paginated, writer


class _Document(OpenAPISchema):
    """ninja's OpenAPI document, saying which operations anyone may call without logging in."""

    def operation_security(self, operation: Operation) -> list[dict[str, Any]] | None:
        security = super().operation_security(operation)
        if security and anonymous in operation.auth_callbacks:
            security.append({})  # OpenAPI's "no authentication": the token is optional
        return security


class CultivateAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document declares the answers every operation can give besides
    its own: 400 (a NUL anywhere in the request, config/middleware.py), 401 (a wrong token), 422
    (bad parameters), 429 (rate limits, apps/limits.py), and 413 where a body is sent
    (config/middleware.py); all with the one error shape. Operations that read public content
    declare their token optional."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        schema = _Document(self, path_prefix)
        error = {
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        }
        common = {
            400: "The request cannot be read, e.g. it holds a NUL character.",
            401: "Authentication failed: the token is unknown, revoked or expired.",
            422: "A parameter or the body does not have the expected shape.",
            429: "Too many requests: wait the Retry-After seconds.",
        }
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                answers = operation.setdefault("responses", {})
                extra = dict(common)
                if "requestBody" in operation:
                    extra[413] = "The request body is larger than the API takes."
                for status, description in extra.items():
                    if status not in answers:
                        answers[status] = {"description": description} | error
        schema.setdefault("components", {}).setdefault("schemas", {}).setdefault(
            "ErrorOut", ErrorOut.model_json_schema()
        )
        return schema


api = CultivateAPI(
    title="Cultivate API",
    version="1",
    description=(
        "Communities of practice, their posts, questions and answers. Read public content "
        "anonymously; write with `Authorization: Bearer <token>` (make one at /settings/tokens/) "
        "or the browser session. Errors are JSON: `{code, detail, errors: {field: [messages]}}`, "
        "`code` a machine-readable word (docs/api.md lists them)."
    ),
    auth=READ,
)

ERRORS: dict[int, type[ErrorOut]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
ID: Any = params.Path(..., ge=1, le=MAX_ID)


# --- errors: always JSON, always naming the fields at fault ------------------------------------


def _field_of(loc: Sequence[Any], body_params: set[str]) -> tuple[str, str]:
    """Return the request field an error location points at, and where inside it (list items)."""
    parts = list(loc[1:])  # drop the source: body, query, path
    if loc and loc[0] == "body" and parts and parts[0] in body_params:
        parts = parts[1:]
    names = [str(p) for p in parts if not isinstance(p, int)]
    items = [p for p in parts if isinstance(p, int)]
    where = f"item {items[0] + 1}: " if items else ""
    return (names[0] if names else "__all__"), where


@api.exception_handler(NinjaValidationError)
def _invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """Answer 422 with each bad field's messages, the same shape as a service's errors."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        field, where = _field_of(error.get("loc", ()), {"payload"})
        message = str(error.get("msg") or _("Invalid value."))
        if field == "__all__" and error.get("type") == "missing":
            message = _("Send a JSON object as the request body.")
        errors.setdefault(field, []).append(where + message)
    named = [field for field in errors if field != "__all__"]
    detail = (
        _("Check these fields: %(fields)s.") % {"fields": ", ".join(named)}
        if named
        else errors["__all__"][0]
    )
    body = {"code": "invalid_input", "detail": detail, "errors": errors}
    return api.create_response(request, body, status=422)


def _code_of(exc: DjangoValidationError) -> str:
    """Return the refusal's code: the one its service gave (`already_voted`), else a general one."""
    if hasattr(exc, "error_dict"):
        found = {e.code for errors in exc.error_dict.values() for e in errors}
        default = "invalid_input"
    else:
        found = {e.code for e in exc.error_list}
        default = "refused"
    found.discard(None)
    return str(found.pop()) if len(found) == 1 else default


@api.exception_handler(DjangoValidationError)
def _refused_input(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """Answer 400 when a service refuses the input, naming its fields like the web forms do."""
    if hasattr(exc, "error_dict"):
        errors = {field: list(messages) for field, messages in exc.message_dict.items()}
        detail = " ".join(message for messages in errors.values() for message in messages)
    else:
        errors = {"__all__": list(exc.messages)}
        detail = " ".join(exc.messages)
    body = {"code": _code_of(exc), "detail": detail, "errors": errors}
    return api.create_response(request, body, status=400)


_HTTP_CODES = {
    400: "bad_request",
    403: "forbidden",
    405: "method_not_allowed",
    413: "too_large",
    429: "too_many",
}


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Answer ninja's own refusals as JSON; an unreadable body says what the API expects."""
    detail = str(exc)
    code = _HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}")
    if exc.status_code == 400 and detail.startswith("Cannot parse request body"):
        detail, code = _("The request body is not valid JSON: send a JSON object."), "bad_json"
    return api.create_response(request, {"code": code, "detail": detail}, status=exc.status_code)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    detail = str(exc) or _("You may not do that.")
    return api.create_response(request, {"code": "forbidden", "detail": detail}, status=403)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    detail = str(exc) or _("Not found.")
    return api.create_response(request, {"code": "not_found", "detail": detail}, status=404)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    detail = exc.message if exc.message != "Unauthorized" else _("Log in or send a bearer token.")
    body = {"code": "unauthenticated", "detail": detail}
    response = api.create_response(request, body, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="cultivate"'
    return response


def _question_for(request: HttpRequest, question_id: int) -> Question:
    """Return a visible question with its visible answers, or 404, through the sharing selectors."""
    found = sharing.content_get_for_user(request.user, "question", question_id)
    return sharing.question_get_for_user(request.user, found.community, question_id)


# --- communities -----------------------------------------------------------------------------


@api.get("/communities", response=list[CommunityOut], tags=["communities"])
@paginated
def community_list(request: HttpRequest) -> QuerySet[Community]:
    """List the communities the caller may see: every public one and their private ones."""
    return communities_visible_to(request.user).order_by("name", "id")


@api.get("/communities/{slug}", response={200: CommunityOut, **ERRORS}, tags=["communities"])
def community_detail(request: HttpRequest, slug: str) -> Community:
    """Return one community; a private one is 404 unless the caller is a member."""
    return community_get_for_user(request.user, slug)


# --- posts -----------------------------------------------------------------------------------


@api.get("/communities/{slug}/posts", response={200: list[PostOut], **ERRORS}, tags=["posts"])
@paginated
def post_list(request: HttpRequest, slug: str, filters: Query[PostFilters]) -> QuerySet[Post]:
    """List a community's posts, newest first."""
    community = community_get_for_user(request.user, slug)
    return sharing.posts_for(request.user, community, kind=filters.kind or "")


@api.post(
    "/communities/{slug}/posts",
    response={201: PostOut, **ERRORS, 422: ErrorOut},
    auth=WRITE,
    tags=["posts"],
)
def post_new(request: HttpRequest, slug: str, payload: PostIn) -> Status[Post]:
    """Share a post in a community you belong to."""
    community = community_get_for_user(request.user, slug)
    post = post_create(
        community=community,
        author=writer(request),
        title=payload.title,
        body=payload.body,
        kind=payload.kind,
    )
    return Status(201, post)


@api.get("/posts/{id}", response={200: PostOut, **ERRORS}, tags=["posts"])
def post_detail(request: HttpRequest, id: int = ID) -> Post:
    """Return one post, or 404 when it is hidden or in a community the caller may not see."""
    post = sharing.content_get_for_user(request.user, "post", id)
    assert isinstance(post, Post)
    return post


# --- questions and answers -------------------------------------------------------------------


@api.get(
    "/communities/{slug}/questions",
    response={200: list[QuestionOut], **ERRORS},
    tags=["questions"],
)
@paginated
def question_list(
    request: HttpRequest, slug: str, filters: Query[QuestionFilters]
) -> QuerySet[Question]:
    """List a community's questions, newest first, by status and tag."""
    community = community_get_for_user(request.user, slug)
    return sharing.questions_for(
        request.user, community, status=filters.status or "", tag=filters.tag or ""
    )


@api.post(
    "/communities/{slug}/questions",
    response={201: QuestionOut, **ERRORS, 422: ErrorOut},
    auth=WRITE,
    tags=["questions"],
)
def question_new(request: HttpRequest, slug: str, payload: QuestionIn) -> Status[Question]:
    """Ask a community you belong to; its watchers hear of it as they do from the web."""
    community = community_get_for_user(request.user, slug)
    question = question_ask(
        community=community,
        author=writer(request),
        title=payload.title,
        body=payload.body,
        tags=payload.tags,
    )
    return Status(201, question)


@api.get("/questions/{id}", response={200: QuestionDetailOut, **ERRORS}, tags=["questions"])
def question_detail(request: HttpRequest, id: int = ID) -> Question:
    """Return one question with its answers (hidden ones only for coordinators)."""
    return _question_for(request, id)


@api.get(
    "/communities/{slug}/questions/similar",
    response={200: list[SimilarOut], **ERRORS},
    tags=["questions"],
)
def question_similar(request: HttpRequest, slug: str, title: str = "") -> list[dict[str, Any]]:
    """The community's questions most like a title (by meaning and words), answered first:
    what the ask page shows while one types."""
    community = community_get_for_user(request.user, slug)
    return [
        {
            "id": item.question.pk,
            "title": item.question.title,
            "solved": item.question.is_solved,
            "answer_count": item.question.answer_count,
            "accepted_answer_start": item.answer_line,
        }
        for item in similar_questions(request.user, community, title[:2000])
    ]


@api.get("/questions/{id}/experts", response={200: list[ExpertOut], **ERRORS}, tags=["questions"])
def question_experts(request: HttpRequest, id: int = ID) -> list[dict[str, Any]]:
    """Who can answer this question, best first: for the asker and coordinators only (403)."""
    question = _question_for(request, id)
    check_see_experts(request.user, question.community, question.author_id)
    return [
        {
            "username": expert.person.username,
            "name": expert.person.name,
            "score": round(expert.score, 4),
            "reasons": expert.reasons,
        }
        for expert in who_can_answer(question)
    ]


@api.get("/questions/{id}/answers", response={200: list[AnswerOut], **ERRORS}, tags=["questions"])
@paginated
def answer_list(request: HttpRequest, id: int = ID) -> list[Answer]:
    """List a question's answers, oldest first."""
    question = _question_for(request, id)
    answers = list(question.answers.all())  # the visible ones, loaded with the question
    for answer in answers:
        answer.question = question  # whether it is accepted is read without a query each
    return answers


@api.post(
    "/questions/{id}/answers",
    response={201: AnswerOut, **ERRORS, 422: ErrorOut},
    auth=WRITE,
    tags=["questions"],
)
def answer_new(request: HttpRequest, payload: AnswerIn, id: int = ID) -> Status[Answer]:
    """Answer a question in a community you belong to; the asker is told."""
    question = _question_for(request, id)
    answer = answer_create(question=question, author=writer(request), body=payload.body)
    return Status(201, answer)


@api.post(
    "/answers/{id}/accept", response={200: AnswerOut, **ERRORS}, auth=WRITE, tags=["questions"]
)
def answer_accept_endpoint(request: HttpRequest, id: int = ID) -> Answer:
    """Accept an answer as the solution; only the asker or a coordinator may."""
    answer = sharing.answer_get_for_user(request.user, id)
    answer_accept(answer=answer, by=writer(request))
    return answer
