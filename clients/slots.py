"""Places on the clients' pages where a later app shows a part of its own.

The apps import one way (design.md), so clients never names what comes after it: a later app adds its template
here in its AppConfig.ready (reports: the Report menu and the iCARE status), and the page includes each with its
own context.
"""

PROFILE_ACTIONS: list[str] = []  # beside the profile's action buttons
DASHBOARD_CARDS: list[str] = []  # among the dashboard's cards
