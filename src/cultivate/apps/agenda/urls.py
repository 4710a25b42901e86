"""Agenda URLs, mounted under /c/ before sharing's catch-all patterns.

Every path starts with a community's slug and a word of its own (agenda, help), or with
`help-contributions/` and `agenda-answers/`, so none can be taken for sharing's `<kind>/<pk>/`.
"""

from django.urls import path

from . import views

app_name = "agenda"
urlpatterns = [
    path("<slug:slug>/agenda/", views.agenda, name="agenda"),
    path("<slug:slug>/agenda/propose/", views.topic_new, name="topic_new"),
    path("<slug:slug>/agenda/prioritise/", views.prioritise, name="prioritise"),
    path("<slug:slug>/agenda/topics/<int:pk>/", views.topic_detail, name="topic"),
    path("<slug:slug>/agenda/topics/<int:pk>/schedule/", views.topic_schedule, name="schedule"),
    path(
        "<slug:slug>/agenda/topics/<int:pk>/reschedule/",
        views.topic_reschedule_view,
        name="reschedule",
    ),
    path("<slug:slug>/help/", views.help_list, name="help_requests"),
    path("<slug:slug>/help/new/", views.help_new, name="help_new"),
    path("<slug:slug>/help/<int:pk>/", views.help_detail, name="help_request"),
    path("<slug:slug>/help/<int:pk>/contribute/", views.help_contribute, name="contribute"),
    path("help-contributions/<int:pk>/thank/", views.contribution_thank, name="thank"),
    path("help-contributions/<int:pk>/accept/", views.contribution_accept, name="accept"),
    path("help-contributions/<int:pk>/promote/", views.contribution_promote, name="promote"),
    path("agenda-answers/<int:pk>/promote/", views.answer_promote, name="promote_answer"),
]
