from django.contrib import admin
from django.http import HttpRequest

from agencies.models import Agency, IcareValue, ListItem, Occupation, Program, Site, SiteGroup, StaffProfile


class AgencyScopedAdmin(admin.ModelAdmin):
    """A superuser sees every agency's rows; any other admin user only their own agency's."""

    def get_queryset(self, request: HttpRequest):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(agency=request.agency)

    def get_list_filter(self, request: HttpRequest):
        filters = tuple(super().get_list_filter(request))
        return ("agency", *filters) if request.user.is_superuser else filters

    def get_exclude(self, request: HttpRequest, obj=None):
        excluded = tuple(super().get_exclude(request, obj) or ())
        return excluded if request.user.is_superuser else (*excluded, "agency")

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        if not request.user.is_superuser:
            obj.agency = request.agency
        super().save_model(request, obj, form, change)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "phone"]
    search_fields = ["name"]


@admin.register(Program)
class ProgramAdmin(AgencyScopedAdmin):
    list_display = ["name", "agency", "is_active"]
    search_fields = ["name"]


@admin.register(SiteGroup)
class SiteGroupAdmin(AgencyScopedAdmin):
    list_display = ["name", "agency"]


@admin.register(Site)
class SiteAdmin(AgencyScopedAdmin):
    list_display = ["name", "group", "agency", "is_active"]
    list_filter = ["group"]
    search_fields = ["name"]


@admin.register(StaffProfile)
class StaffProfileAdmin(AgencyScopedAdmin):
    list_display = ["user", "agency", "role", "may_unlock_sensitive", "may_upload_icare"]
    list_filter = ["role", "may_unlock_sensitive", "may_upload_icare"]
    filter_horizontal = ["programs"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]


@admin.register(ListItem)
class ListItemAdmin(AgencyScopedAdmin):
    list_display = ["label", "label_fr", "list", "group", "position", "is_active", "agency"]
    list_filter = ["list", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["label", "label_fr"]


@admin.register(IcareValue)
class IcareValueAdmin(admin.ModelAdmin):
    """IRCC's lists are fixed: shown, never edited."""

    list_display = ["value", "label_fr", "list", "position"]
    list_filter = ["list"]
    search_fields = ["value"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Occupation)
class OccupationAdmin(IcareValueAdmin):
    list_display = ["code", "title_en", "title_fr", "teer"]
    list_filter = ["teer", "broad_category"]
    search_fields = ["code", "title_en", "title_fr"]
