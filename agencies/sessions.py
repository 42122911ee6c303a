"""Django's database sessions, read with one fixed statement.

Every request of a signed-in caseworker reads its session first. Through the ORM that read cost ten times the query
itself (the same SELECT compiled again on every request; `make bench`, Find Client). Writing, renewing, expiring and
clearing sessions stay Django's own.
"""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        model = self.model
        connection = connections[router.db_for_read(model)]
        table = connection.ops.quote_name(model._meta.db_table)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s", [self.session_key, now]
            )
            row = cursor.fetchone()
        if row is None:
            # As Django's store does: an unknown or expired key is forgotten, and a new one made on saving.
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0])
