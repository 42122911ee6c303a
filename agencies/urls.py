from django.urls import path

from agencies import views

app_name = "agencies"

urlpatterns = [
    path("session/", views.session_status, name="session"),
    path("occupations/", views.occupation_search, name="occupation-search"),
    path("staff-access/", views.staff_access_changes, name="staff-access-changes"),
    path("login-locks/", views.login_locks, name="login-locks"),
    path("login-locks/lift/", views.login_lock_lift, name="login-lock-lift"),
]
