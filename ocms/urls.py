from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from agencies import views as agency_views
from agencies.forms import LoginForm

urlpatterns = [
    path("", agency_views.home, name="home"),
    path("health/", agency_views.health, name="health"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="auth/login.html", authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("agency/", include("agencies.urls")),
    path("clients/", include("clients.urls")),
    path("families/", include("families.urls")),
    path("register/", include("registration.urls")),
    path("reports/", include("reports.urls")),
]

# A request OCMS refuses to read (more fields or data than any of its forms sends) gets a page of OCMS that says so.
handler400 = "agencies.views.bad_request"
