"""Django's database sessions, with the signed-in user in the same statement.

Every request of a signed-in caseworker reads its session, then its user. Through the ORM those reads cost ten times
the queries themselves (the same SELECT compiled again on every request; `make bench`, Find Client), and as two
statements they cost two trips to the database. Here the session table (agencies.models.LoginSession) keeps the
user's id in a column of its own, and one fixed statement reads the session with its user, staff profile, agency and
default site; the backend (agencies.backends.UsernameOrEmailBackend.get_user) takes that user, and Django's own
checks of the session (its user's password hash) run as always. Writing, renewing, expiring and clearing sessions
stay Django's own.
"""

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends import db
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.utils import timezone

from agencies.backends import staff_user_of, staff_user_select


class SessionStore(db.SessionStore):
    user_read = None  # the user the session names, read with it (None: no user, or not read yet)

    @classmethod
    def get_model_class(cls):
        from agencies.models import LoginSession

        return LoginSession

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        session.user_id = signed_in_id(data)
        return session

    def _get_session_from_db(self):
        model = self.model
        alias = router.db_for_read(model)
        connection = connections[alias]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(staff_user_select(alias, model._meta.db_table), [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            # As Django's store does: an unknown or expired key is forgotten, and a new one made on saving.
            self._session_key = None
            return None
        self.user_read = staff_user_of(row[1:], alias)
        return model(session_key=self.session_key, session_data=row[0])


def signed_in_id(data: dict):
    """The id of the user a session's data says is signed in, or None."""
    try:
        return get_user_model()._meta.pk.to_python(data[SESSION_KEY])
    except (KeyError, ValidationError):
        return None
