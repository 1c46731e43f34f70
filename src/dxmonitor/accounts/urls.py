from django.contrib.auth import views as auth_views
from django.urls import path

from dxmonitor.accounts import views

urlpatterns = [
    path("accounts/", views.people, name="accounts"),
    path("accounts/invite/", views.invite_page, name="account-invite"),
    path("accounts/import/", views.import_page, name="account-import"),
    path("accounts/template.csv", views.roster_template, name="account-template"),
    path("accounts/<int:pk>/", views.person, name="account"),
    # the links e-mailed by an invitation, an admin's reset or the login page's "forgotten password"
    path("password/set/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="password-set"),
    path(
        "password/set/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_set.html"),
        name="password-set-done",
    ),
    path("password/forgotten/", views.ForgottenPasswordView.as_view(), name="password-forgotten"),
    path(
        "password/forgotten/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/forgotten_sent.html"),
        name="password-forgotten-sent",
    ),
]
