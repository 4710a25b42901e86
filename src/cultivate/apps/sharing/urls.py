"""Sharing URLs, mounted under /c/: a community's questions and posts, and acts on any content."""

from django.urls import path

from . import community_pages, views

app_name = "sharing"
urlpatterns = [
    path("<slug:slug>/", community_pages.home, name="home"),
    path("<slug:slug>/moderation/", community_pages.moderation, name="moderation"),
    path("<slug:slug>/questions/", views.question_list, name="questions"),
    path("<slug:slug>/questions/ask/", views.question_ask_view, name="ask"),
    path("<slug:slug>/questions/similar/", views.similar_questions_view, name="similar"),
    path("<slug:slug>/questions/<int:pk>/reused/", views.question_reuse_view, name="reuse"),
    path("<slug:slug>/tags/suggest/", views.tag_suggestions, name="tag_suggestions"),
    path("<slug:slug>/questions/<int:pk>/", views.question_detail, name="question"),
    path("<slug:slug>/questions/<int:pk>/answer/", views.answer_post, name="answer"),
    path("<slug:slug>/posts/", views.post_list, name="posts"),
    path("<slug:slug>/posts/new/", views.post_new, name="post_new"),
    path("<slug:slug>/posts/<int:pk>/", views.post_detail, name="post"),
    path("answers/<int:pk>/accept/", views.answer_accept_view, name="accept"),
    path("<str:kind>/<int:pk>/vote/", views.vote, name="vote"),
    path("<str:kind>/<int:pk>/comment/", views.comment, name="comment"),
    path("<str:kind>/<int:pk>/edit/", views.edit, name="edit"),
    path("<str:kind>/<int:pk>/history/", views.history, name="history"),
    path("<str:kind>/<int:pk>/flag/", views.flag, name="flag"),
    path("<str:kind>/<int:pk>/<str:action>/", views.moderate, name="moderate"),
]
