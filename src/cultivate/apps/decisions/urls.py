"""Decisions URLs, mounted under /c/ before sharing's catch-all patterns."""

from django.urls import path

from . import views

app_name = "decisions"
urlpatterns = [
    path("<slug:slug>/decisions/", views.proposal_list, name="proposals"),
    path("<slug:slug>/decisions/new/", views.proposal_new, name="proposal_new"),
    path("<slug:slug>/decisions/<int:pk>/", views.proposal_detail, name="proposal"),
    path("<slug:slug>/decisions/<int:pk>/tally/", views.proposal_tally_view, name="tally"),
    path("<slug:slug>/decisions/<int:pk>/stance/", views.stance_view, name="stance"),
    path("<slug:slug>/decisions/<int:pk>/close/", views.proposal_close_view, name="close"),
    path(
        "<slug:slug>/decisions/<int:pk>/history/<str:username>/",
        views.stance_history_view,
        name="history",
    ),
    path("<slug:slug>/actions/", views.action_list, name="actions"),
    path("<slug:slug>/actions/new/", views.action_new, name="action_new"),
    path("<slug:slug>/actions/<int:pk>/status/", views.action_status, name="action_status"),
    path("<slug:slug>/actions/<int:pk>/take/", views.action_take, name="action_take"),
]
