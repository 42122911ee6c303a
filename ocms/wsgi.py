import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocms.settings")

application = get_wsgi_application()

# Each server process prepares, as it starts, what its first request would otherwise pay for: the URLs (and the
# views they import), and WeasyPrint, so that its first document costs what the next ones do.
from django.urls import get_resolver  # noqa: E402 - the settings and apps are loaded just above

from reports.documents import documents_warm_up  # noqa: E402

get_resolver().url_patterns  # noqa: B018 - imports the URLconf
documents_warm_up()
# What the process has made so far (the apps, the URLs, WeasyPrint and its fonts) lives as long as it does: the
# collector leaves it out of its full collections, which would otherwise walk it several times a document.
gc.freeze()
