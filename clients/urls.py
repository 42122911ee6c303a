from django.urls import path

from clients.views import find, history, profile, sensitive, sessions

app_name = "clients"

urlpatterns = [
    path("find/", find.client_find, name="client-find"),
    path("<uuid:code>/", profile.client_detail, name="client-detail"),
    path("<uuid:code>/sensitive/unlock/", sensitive.sensitive_unlock, name="sensitive-unlock"),
    path("<uuid:code>/sensitive/edit/", sensitive.sensitive_edit, name="sensitive-edit"),
    path("<uuid:code>/sensitive/update/", sensitive.sensitive_update, name="sensitive-update"),
    path("<uuid:code>/history/", history.client_change_history, name="client-change-history"),
    path("sensitive-access/", sensitive.unlock_log, name="unlock-log"),
    path("sensitive-access/csv/", sensitive.unlock_log_csv, name="unlock-log-csv"),
    path("<uuid:code>/dashboard/", profile.client_dashboard, name="client-dashboard"),
    path("<uuid:code>/sessions/", sessions.session_list, name="session-list"),
    path("<uuid:code>/sessions/new/", sessions.session_create, name="session-create"),
    path("<uuid:code>/mentor-matches/new/", sessions.mentor_match_create, name="mentor-match-create"),
]
