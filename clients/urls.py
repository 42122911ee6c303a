from django.urls import path

from clients.views import duplicates, find, history, profile, sensitive, sessions

app_name = "clients"

urlpatterns = [
    path("find/", find.client_find, name="client-find"),
    path("<uuid:code>/", profile.client_detail, name="client-detail"),
    path("<uuid:code>/sensitive/unlock/", sensitive.sensitive_unlock, name="sensitive-unlock"),
    path("<uuid:code>/sensitive/lock/", sensitive.sensitive_lock, name="sensitive-lock"),
    path("<uuid:code>/sensitive/edit/", sensitive.sensitive_edit, name="sensitive-edit"),
    path("<uuid:code>/sensitive/update/", sensitive.sensitive_update, name="sensitive-update"),
    path("<uuid:code>/history/", history.client_change_history, name="client-change-history"),
    path("sensitive-access/", sensitive.unlock_log, name="unlock-log"),
    path("sensitive-access/csv/", sensitive.unlock_log_csv, name="unlock-log-csv"),
    path("<uuid:code>/dashboard/", profile.client_dashboard, name="client-dashboard"),
    path("<uuid:code>/sessions/", sessions.session_list, name="session-list"),
    path("<uuid:code>/sessions/new/", sessions.session_create, name="session-create"),
    path("<uuid:code>/mentor-matches/new/", sessions.mentor_match_create, name="mentor-match-create"),
    path("<uuid:code>/flag-duplicate/", duplicates.duplicate_flag, name="duplicate-flag"),
    path("duplicates/", duplicates.duplicate_queue, name="duplicate-queue"),
    path("duplicates/scan/", duplicates.duplicate_scan_start, name="duplicate-scan"),
    path("duplicates/scan/<uuid:code>/", duplicates.duplicate_scan_progress, name="duplicate-scan-progress"),
    path("duplicates/<uuid:code>/", duplicates.duplicate_pair, name="duplicate-pair"),
    path("duplicates/<uuid:code>/different/", duplicates.duplicate_different, name="duplicate-different"),
    path("duplicates/<uuid:code>/merge/", duplicates.duplicate_merge, name="duplicate-merge"),
    path("merges/<uuid:code>/", duplicates.merge_detail, name="merge-detail"),
    path("merges/<uuid:code>/undo/", duplicates.merge_undo_view, name="merge-undo"),
]
