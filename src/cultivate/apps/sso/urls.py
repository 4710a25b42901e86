"""Single sign-on URLs, mounted under /sso/."""

from django.urls import path

from .views import SignOnCallback, SignOnStart

app_name = "sso"
urlpatterns = [
    path("start/", SignOnStart.as_view(), name="start"),
    path("callback/", SignOnCallback.as_view(), name="callback"),
]
