"""The admin site OCMS runs (kept apart from agencies.admin, which registers models on it)."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from agencies.access import may_use_admin


class OcmsAdminSite(admin.AdminSite):
    site_header = _("OCMS administration")
    site_title = _("OCMS administration")

    def has_permission(self, request: HttpRequest) -> bool:
        return may_use_admin(request)

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        # One login page for the whole application, the one that django-axes guards.
        next_url = request.GET.get("next") or reverse("admin:index")
        return redirect(f"{reverse('login')}?{urlencode({'next': next_url})}")
