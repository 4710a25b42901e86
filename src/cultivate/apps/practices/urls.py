"""Best practices URLs, mounted under /c/ before sharing's catch-all patterns."""

from django.urls import path

from . import views

app_name = "practices"
urlpatterns = [
    path("<slug:slug>/practices/", views.document_list, name="list"),
    path("<slug:slug>/practices/new/", views.document_new, name="new"),
    path("<slug:slug>/practices/<int:pk>/", views.document_detail, name="document"),
    path("<slug:slug>/practices/<int:pk>/edit/", views.document_edit, name="edit"),
    path("<slug:slug>/practices/<int:pk>/revisions/", views.history, name="history"),
    path(
        "<slug:slug>/practices/<int:pk>/revisions/<int:number>/",
        views.revision_detail,
        name="revision",
    ),
    path("<slug:slug>/practices/<int:pk>/diff/", views.diff, name="diff"),
    path("<slug:slug>/practices/<int:pk>/reviewers/", views.review_request, name="request_review"),
    path("<slug:slug>/practices/<int:pk>/review/", views.review_give, name="review"),
    path("<slug:slug>/practices/<int:pk>/publish/", views.publish, name="publish"),
    path("<slug:slug>/practices/<int:pk>/outdated/", views.mark_outdated, name="outdated"),
    path("<slug:slug>/practices/<int:pk>/rereview/", views.rereview, name="rereview"),
    path("<slug:slug>/practices/<int:pk>/questions/", views.link_question, name="link"),
    path(
        "<slug:slug>/practices/<int:pk>/questions/<int:question_pk>/unlink/",
        views.unlink_question,
        name="unlink",
    ),
]
