"""The admin site OCMS runs (kept apart from agencies.admin, which registers models on it)."""

from django.contrib import admin
from django.db.models.base import ModelBase
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from agencies.access import may_use_admin

# The apps whose admins scope every list and choice to the agency (agencies.admin.CoordinatorAdmin).
OCMS_APPS = {"agencies", "clients", "families", "registration", "reports", "demo"}


class SuperuserOnlyAdmin:
    """Another package's admin (logins and groups, django-axes' records, background tasks): none of it is scoped
    to an agency, so it is for superusers only, whatever Django permissions a coordinator was given."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser


class OcmsAdminSite(admin.AdminSite):
    site_header = _("OCMS administration")
    site_title = _("OCMS administration")

    def has_permission(self, request: HttpRequest) -> bool:
        return may_use_admin(request)

    def register(self, model_or_iterable, admin_class=None, **options) -> None:
        models = [model_or_iterable] if isinstance(model_or_iterable, ModelBase) else model_or_iterable
        for model in models:
            model_admin = admin_class or admin.ModelAdmin
            if model._meta.app_label not in OCMS_APPS:
                model_admin = type(f"SuperuserOnly{model_admin.__name__}", (SuperuserOnlyAdmin, model_admin), {})
            super().register(model, model_admin, **options)

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        # One login page for the whole application, the one that django-axes guards.
        next_url = request.GET.get("next") or reverse("admin:index")
        return redirect(f"{reverse('login')}?{urlencode({'next': next_url})}")
