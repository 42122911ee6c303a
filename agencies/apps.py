from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = _("Agencies and staff")
    default = True


class OcmsAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on a site whose doors follow the staff roles (agencies.admin_site.OcmsAdminSite)."""

    default = False
    default_site = "agencies.admin_site.OcmsAdminSite"
