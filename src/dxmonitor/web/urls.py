from django.contrib.auth import views as auth_views
from django.urls import path, re_path

from dxmonitor.web import approval, entry_form, intake_pages, pages, round_pages, upload, views

# Every page answers as JSON too: add ".json" to its address or "?format=json"; a page with a table gives it as a
# file with ".csv" or ".xlsx" (or "?format=csv", "?format=xlsx").
JSON = r"(?P<fmt>\.(?:json|csv|xlsx))?$"
ROUND = r"(?P<code>[0-9]{4}-[0-9]{2})"  # 0–9, not \d (which takes any script's digits)

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    re_path(r"^(?:index\.json)?$", pages.dashboard, name="dashboard"),
    re_path(r"^rounds" + JSON, pages.rounds, name="rounds"),
    # the admin's round pages; a code saved wrong before codes were checked ("07/2022") still reaches its edit page
    path("rounds/new/", round_pages.new, name="round-new"),
    re_path(r"^rounds/(?P<code>[^?#]+?)/edit/$", round_pages.edit, name="round-edit"),
    re_path(r"^rounds/(?P<code>[^?#]+?)/state/$", round_pages.state, name="round-state"),
    re_path(r"^rounds/" + ROUND + JSON, pages.dashboard, name="round"),
    re_path(r"^datasets" + JSON, pages.datasets, name="datasets"),
    re_path(r"^datasets/(?P<code>[a-z0-9_.]+?)" + JSON, pages.dataset, name="dataset"),
    re_path(r"^units" + JSON, pages.units, name="units"),
    re_path(r"^units/(?P<code>[A-Z0-9_.-]+?)" + JSON, pages.unit, name="unit"),
    re_path(r"^indicators" + JSON, pages.indicators, name="indicators"),
    re_path(r"^indicators/(?P<code>[a-z0-9_.]+?)" + JSON, pages.indicator, name="indicator"),
    path("upload/", upload.upload, name="upload"),
    path("reports/<str:name>", views.report_file, name="report-file"),
    # intake: submissions and their workflow, the entry form, a value's history, findings, templates
    path("submissions/", intake_pages.latest, {"page": "submissions"}, name="submissions-latest"),
    path("checks/", intake_pages.latest, {"page": "checks"}, name="checks-latest"),
    re_path(r"^rounds/" + ROUND + r"/submissions" + JSON, intake_pages.submissions, name="submissions"),
    re_path(
        r"^rounds/" + ROUND + r"/entry/(?P<dataset>[a-z0-9_.]+)/(?P<unit>[A-Z0-9_.-]+?)" + JSON,
        entry_form.entry,
        name="entry",
    ),
    re_path(
        r"^rounds/" + ROUND + r"/approval/(?P<dataset>[a-z0-9_.]+)/(?P<unit>[A-Z0-9_.-]+?)" + JSON,
        approval.approval,
        name="approval",
    ),
    re_path(r"^rounds/" + ROUND + r"/checks" + JSON, intake_pages.checks, name="checks"),
    re_path(r"^rounds/" + ROUND + r"/template/(?P<dataset>[a-z0-9_.]+)$", intake_pages.template, name="template"),
    re_path(r"^values/history" + JSON, intake_pages.value_history, name="value-history"),
]
