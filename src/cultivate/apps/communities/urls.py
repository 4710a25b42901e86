"""Community URLs: the directory, a community's home, membership and moderation."""

from django.urls import path

from . import views

app_name = "communities"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("communities/new/", views.community_new, name="new"),
    path("c/<slug:slug>/", views.home, name="home"),
    path("c/<slug:slug>/members/", views.member_list, name="members"),
    path("c/<slug:slug>/join/", views.join, name="join"),
    path("c/<slug:slug>/leave/", views.leave, name="leave"),
    path("c/<slug:slug>/invite/", views.invite, name="invite"),
    path("c/<slug:slug>/moderation/", views.moderation, name="moderation"),
    path(
        "c/<slug:slug>/members/<int:membership_id>/<str:action>/",
        views.membership_act,
        name="membership_act",
    ),
]
