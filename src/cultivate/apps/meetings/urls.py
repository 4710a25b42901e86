"""Meetings URLs, mounted under /c/ before sharing's catch-all patterns."""

from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("<slug:slug>/events/", views.event_list, name="events"),
    path("<slug:slug>/events/new/", views.event_new, name="event_new"),
    path("<slug:slug>/events/feed.ics", views.feed, name="feed"),
    path("<slug:slug>/events/feed/<str:secret>.ics", views.feed_for_token, name="feed_token"),
    path("<slug:slug>/events/feed/reset/", views.feed_reset, name="feed_reset"),
    path("<slug:slug>/events/<int:pk>/", views.event_detail, name="event"),
    path("<slug:slug>/events/<int:pk>/rsvp/", views.rsvp, name="rsvp"),
    path("<slug:slug>/events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("<slug:slug>/events/<int:pk>/cancel/", views.event_cancel_view, name="event_cancel"),
    path("<slug:slug>/events/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<slug:slug>/events/<int:pk>/notes/", views.notes, name="notes"),
    path("<slug:slug>/events/<int:pk>/event.ics", views.event_ics, name="event_ics"),
    path("<slug:slug>/coffee/", views.coffee, name="coffee"),
    path("<slug:slug>/coffee/opt-in/", views.coffee_opt_in_view, name="coffee_opt_in"),
    path("<slug:slug>/coffee/opt-out/", views.coffee_opt_out_view, name="coffee_opt_out"),
    path("<slug:slug>/coffee/rounds/", views.coffee_round_view, name="coffee_round"),
    path("<slug:slug>/coffee/pairs/<int:pk>/met/", views.coffee_met_view, name="coffee_met"),
]
