import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocms.settings")

application = get_wsgi_application()

# Each server process prepares, as it starts, what its first request would otherwise pay for: the URLs (the views
# they import, and their index for reverse() in each language), and WeasyPrint, so that its first document costs what
# the next ones do.
from django.conf import settings  # noqa: E402 - the settings and apps are loaded just above
from django.urls import get_resolver  # noqa: E402
from django.utils import translation  # noqa: E402

from reports.documents import documents_warm_up  # noqa: E402


def urls_index(resolver) -> None:
    """The resolver's URLs indexed for reverse(), as its first call in the active language would index them, and
    those of every namespace under it."""
    resolver.reverse_dict  # noqa: B018 - indexes them
    for _prefix, namespace in resolver.namespace_dict.values():
        urls_index(namespace)


for language, _name in settings.LANGUAGES:
    with translation.override(language):
        urls_index(get_resolver())
documents_warm_up()
# What the process has made so far (the apps, the URLs, WeasyPrint and its fonts) lives as long as it does: the
# collector leaves it out of its full collections, which would otherwise walk it several times a document.
gc.freeze()
