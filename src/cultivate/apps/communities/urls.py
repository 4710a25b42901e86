"""Community URLs: the directory and membership (the home and moderation pages are in sharing)."""

from django.urls import path

from . import views

app_name = "communities"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("communities/new/", views.community_new, name="new"),
    path("c/<slug:slug>/members/", views.member_list, name="members"),
    path("c/<slug:slug>/join/", views.join, name="join"),
    path("c/<slug:slug>/leave/", views.leave, name="leave"),
    path("c/<slug:slug>/invite/", views.invite, name="invite"),
    path("c/<slug:slug>/routing/", views.routing, name="routing"),
    path(
        "c/<slug:slug>/members/<int:membership_id>/<str:action>/",
        views.membership_act,
        name="membership_act",
    ),
]
