"""The person's own data: ask for a copy, download it, or close the account. Only ever about
the signed-in person, so there is nothing to check but that they are signed in."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from cultivate.apps.accounts.local_passwords import local_passwords_on
from cultivate.apps.accounts.models import User
from cultivate.apps.accounts.session import signed_in
from cultivate.apps.communities.selectors import communities_only_they_coordinate

from .models import PersonalDataExport
from .tasks import EXPORT_DAYS, account_close_job, personal_data_export


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def my_data(request: HttpRequest) -> HttpResponse:
    """List the person's copies of their data; a POST asks for a new one (a background job)."""
    user = signed_in(request)
    if request.method == "POST":
        recent = PersonalDataExport.objects.filter(
            user=user, requested_at__gte=timezone.now() - timedelta(hours=1)
        )
        if recent.exists():
            # Each copy gathers everything the person ever did: one an hour is plenty.
            messages.info(request, _("A copy asked for within the hour is on its way or ready."))
            return redirect("people:my_data")
        export = PersonalDataExport.objects.create(user=user)
        personal_data_export.enqueue(export_id=export.pk)
        messages.success(
            request, _("Your data is being gathered: an e-mail tells you when it is ready.")
        )
        return redirect("people:my_data")
    exports = PersonalDataExport.objects.filter(
        user=user, requested_at__gte=timezone.now() - timedelta(days=EXPORT_DAYS)
    )
    return render(request, "people/my_data.html", {"exports": exports, "days": EXPORT_DAYS})


@never_cache
@login_required
def my_data_download(request: HttpRequest, key: str) -> FileResponse:
    """The person's own copy; anyone else's key is a 404, as is an expired one."""
    export = PersonalDataExport.objects.filter(
        user=signed_in(request), key=key, ready_at__isnull=False
    ).first()
    if export is None or not default_storage.exists(export.stored_name):
        raise Http404(_("No such copy of your data."))
    return FileResponse(
        default_storage.open(export.stored_name, "rb"),
        as_attachment=True,
        filename="cultivate-data.zip",
    )


class CloseForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        label=gettext_lazy("Your password, to confirm"),
    )


class CloseWithoutPasswordForm(forms.Form):
    """For people who sign in with the company's provider (Cultivate keeps no password)."""

    username = forms.CharField(label=gettext_lazy("Your user name, to confirm"))


@never_cache
@login_required
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def close_account(request: HttpRequest) -> HttpResponse:
    """Ask for the password (or the user name, for single sign-on), then close the account in
    the background and sign out; the last coordinator of a community hands over first."""
    user = signed_in(request)
    blockers = communities_only_they_coordinate(user)
    with_password = user.has_usable_password() and local_passwords_on()
    form: forms.Form = (CloseForm if with_password else CloseWithoutPasswordForm)(
        request.POST or None
    )
    if request.method == "POST" and not blockers and form.is_valid():
        if with_password and not user.check_password(form.cleaned_data["password"]):
            form.add_error("password", _("That is not your password."))
        elif not with_password and form.cleaned_data["username"].strip() != user.username:
            form.add_error("username", _("That is not your user name."))
        else:
            # Shut at once: the job that erases may run later, and nobody signs in meanwhile.
            User.objects.filter(pk=user.pk).update(is_active=False)
            account_close_job.enqueue(user_id=user.pk)
            logout(request)
            return render(request, "people/account_closing.html")
    context = {"form": form, "blockers": blockers}
    return render(request, "people/close_account.html", context)
