from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """What exists to demonstrate and measure OCMS: the demo loader, the client generator, the benchmarks."""

    name = "demo"
    verbose_name = _("Demonstration and measurement")
