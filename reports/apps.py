from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # The documents and the iCARE status on the pages of the apps before this one (clients.slots).
        from clients import slots as client_slots
        from registration import slots as registration_slots

        client_slots.PROFILE_ACTIONS.append("reports/_profile_report_menu.html")
        client_slots.DASHBOARD_CARDS.append("reports/_dashboard_icare.html")
        registration_slots.NEXT_STEPS_ACTIONS.append("reports/_next_steps_receipt.html")
