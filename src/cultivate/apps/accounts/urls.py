"""Account URLs, mounted under /accounts/: sign up, log in and out, reset or change a password."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views
from .forms import LoginForm, ResetForm
from .local_passwords import local_passwords_only

app_name = "accounts"
urlpatterns = [
    path("signup/", local_passwords_only(views.signup), name="signup"),
    path(
        "signup/finish/<uidb64>/<token>/",
        local_passwords_only(views.sign_up_finish),
        name="sign_up_finish",
    ),
    path(
        "login/",
        local_passwords_only(
            auth_views.LoginView.as_view(
                template_name="registration/login.html",
                redirect_authenticated_user=True,
                authentication_form=LoginForm,
            ),
            reading_allowed=True,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/reset/",
        local_passwords_only(
            auth_views.PasswordResetView.as_view(
                template_name="registration/reset_form.html",
                form_class=ResetForm,
                email_template_name="registration/reset_email.txt",
                subject_template_name="registration/reset_subject.txt",
                success_url=reverse_lazy("accounts:password_reset_done"),
            )
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        local_passwords_only(
            auth_views.PasswordResetDoneView.as_view(template_name="registration/reset_done.html")
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        local_passwords_only(
            auth_views.PasswordResetConfirmView.as_view(
                template_name="registration/reset_confirm.html",
                success_url=reverse_lazy("accounts:password_reset_complete"),
                post_reset_login=True,
                post_reset_login_backend="django.contrib.auth.backends.ModelBackend",
            )
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        local_passwords_only(
            auth_views.PasswordResetCompleteView.as_view(
                template_name="registration/reset_complete.html"
            )
        ),
        name="password_reset_complete",
    ),
    path(
        "password/change/",
        local_passwords_only(
            auth_views.PasswordChangeView.as_view(
                template_name="registration/change_form.html",
                success_url=reverse_lazy("accounts:password_change_done"),
            )
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        local_passwords_only(
            auth_views.PasswordChangeDoneView.as_view(template_name="registration/change_done.html")
        ),
        name="password_change_done",
    ),
]
