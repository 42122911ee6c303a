import contextvars
import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connections, router
from django.http import HttpRequest

from agencies.models import Agency, Site, StaffProfile
from agencies.statements import Columns, columns

# The session store of the request whose user is being read (agencies.middleware.signed_in_user): the statement that
# read the session read its user too (agencies.sessions.SessionStore.user_read).
SESSION_READ: contextvars.ContextVar = contextvars.ContextVar("ocms_session_read", default=None)


def user_by_login(login: str):
    """The one account a typed login names: a username or an e-mail address, in any case."""
    if not login:
        return None
    field = "email__iexact" if "@" in login else "username__iexact"
    users = list(get_user_model()._default_manager.filter(**{field: login.strip()})[:2])
    return users[0] if len(users) == 1 else None


def axes_username(request: HttpRequest, credentials: dict | None) -> str:
    """What django-axes counts failures against: the account, however its login was spelled."""
    typed = (credentials or {}).get("username") or (request.POST.get("username", "") if request else "")
    user = user_by_login(typed)
    return user.get_username() if user else typed.strip().lower()


class UsernameOrEmailBackend(ModelBackend):
    """Log in with the username or the e-mail address, either in any case."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs
    ):
        if not username or password is None:
            return None
        user = user_by_login(username)
        if user is None:
            # Run the hasher anyway so that unknown names take as long as known ones.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """The user of a session, with their staff profile, its agency and default site (every request reads them:
        agencies.middleware.AgencyMiddleware): as read with the session when it was, otherwise by a query of its own."""
        read = getattr(SESSION_READ.get(), "user_read", None)
        user = read if read is not None and str(read.pk) == str(user_id) else staff_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


@functools.cache
def _staff_user_parts(alias: str) -> tuple[str, str, tuple[Columns, ...]]:
    """For one database: the columns of a user with staff profile, agency and default site (tables u, s, a, d), the
    joins from u that reach them, and each model's columns."""
    name = connections[alias].ops.quote_name
    parts = tuple(
        columns(model, alias, table)
        for model, table in ((get_user_model(), "u"), (StaffProfile, "s"), (Agency, "a"), (Site, "d"))
    )
    user, staff = get_user_model()._meta, StaffProfile._meta

    def join(meta, table: str, on: str) -> str:
        return f" LEFT JOIN {name(meta.db_table)} {table} ON {table}.{name(meta.pk.column)} = {on}"

    joins = (
        f" LEFT JOIN {name(staff.db_table)} s ON s.{name(staff.get_field('user').column)} = u.{name(user.pk.column)}"
        + join(Agency._meta, "a", f"s.{name(staff.get_field('agency').column)}")
        + join(Site._meta, "d", f"s.{name(staff.get_field('default_site').column)}")
    )
    return ", ".join(part.sql for part in parts), joins, parts


@functools.cache
def staff_user_select(alias: str, session_table: str | None = None) -> str:
    """The SELECT of a user with staff profile, agency and default site by the user's id; with `session_table`, by
    a session key instead (what agencies.sessions.SessionStore reads), its session_data in the first column."""
    selected, joins, _ = _staff_user_parts(alias)
    connection = connections[alias]
    name = connection.ops.quote_name
    user = get_user_model()._meta
    if session_table is None:
        return f"SELECT {selected} FROM {name(user.db_table)} u{joins} WHERE u.{name(user.pk.column)} = %s"
    return (
        f"SELECT x.session_data, {selected} FROM {name(session_table)} x"
        f" LEFT JOIN {name(user.db_table)} u ON u.{name(user.pk.column)} = x.user_id{joins}"
        " WHERE x.session_key = %s AND x.expire_date > %s"
    )


def staff_user(user_id) -> "AbstractBaseUser | None":
    """A user with their staff profile, its agency and its default site, from one fixed statement.

    What `select_related("staff_profile__agency", "staff_profile__default_site").get(pk=…)` reads, without compiling
    that query again on every request: the ORM spent three times the query's own time on it (`make bench`).
    """
    alias = router.db_for_read(get_user_model())
    with connections[alias].cursor() as cursor:
        cursor.execute(staff_user_select(alias), [user_id])
        row = cursor.fetchone()
    return staff_user_of(row, alias) if row is not None else None


def staff_user_of(row, alias: str) -> "AbstractBaseUser | None":
    """The user (with staff profile, agency and default site) of a row of staff_user_select; None when the row
    holds no user."""
    objects = []
    start = 0
    for part in _staff_user_parts(alias)[2]:
        values = row[start : start + len(part.names)]
        start += len(part.names)
        objects.append(part.record(values) if values[0] is not None else None)
    user, profile, agency, site = objects
    if user is None:
        return None
    if profile is None:
        # Like select_related: a user without a staff profile raises DoesNotExist on reading it, with no query.
        user._meta.get_field("staff_profile").set_cached_value(user, None)
    else:
        profile.agency = agency
        profile.default_site = site
        user.staff_profile = profile
    return user
