import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connections, router
from django.http import HttpRequest

from agencies.models import Agency, Site, StaffProfile


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
        agencies.middleware.AgencyMiddleware)."""
        user = staff_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


@functools.cache
def _staff_user_statement(alias: str) -> tuple[str, tuple]:
    """The SELECT of staff_user for one database, and each model's fields in the order of its columns."""
    connection = connections[alias]
    name = connection.ops.quote_name
    parts = tuple(
        (model, table, model._meta.concrete_fields)
        for model, table in ((get_user_model(), "u"), (StaffProfile, "s"), (Agency, "a"), (Site, "d"))
    )
    columns = ", ".join(f"{table}.{name(field.column)}" for _, table, fields in parts for field in fields)
    user, staff = get_user_model()._meta, StaffProfile._meta

    def join(meta, table: str, on: str) -> str:
        return f" LEFT JOIN {name(meta.db_table)} {table} ON {table}.{name(meta.pk.column)} = {on}"

    sql = (
        f"SELECT {columns} FROM {name(user.db_table)} u"
        f" LEFT JOIN {name(staff.db_table)} s ON s.{name(staff.get_field('user').column)} = u.{name(user.pk.column)}"
        + join(Agency._meta, "a", f"s.{name(staff.get_field('agency').column)}")
        + join(Site._meta, "d", f"s.{name(staff.get_field('default_site').column)}")
        + f" WHERE u.{name(user.pk.column)} = %s"
    )
    converted = tuple(
        (
            model,
            [field.attname for field in fields],
            [
                connection.ops.get_db_converters(field.get_col(table)) + field.get_db_converters(connection)
                for field in fields
            ],
        )
        for model, table, fields in parts
    )
    return sql, converted


def staff_user(user_id) -> "AbstractBaseUser | None":
    """A user with their staff profile, its agency and its default site, from one fixed statement.

    What `select_related("staff_profile__agency", "staff_profile__default_site").get(pk=…)` reads, without compiling
    that query again on every request: the ORM spent three times the query's own time on it (`make bench`).
    """
    alias = router.db_for_read(get_user_model())
    sql, parts = _staff_user_statement(alias)
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    objects = []
    start = 0
    for model, names, converters in parts:
        values = list(row[start : start + len(names)])
        start += len(names)
        for index, field_converters in enumerate(converters):
            for converter in field_converters:
                values[index] = converter(values[index], None, connection)
        objects.append(model.from_db(alias, names, values) if values[0] is not None else None)
    user, profile, agency, site = objects
    if profile is None:
        # Like select_related: a user without a staff profile raises DoesNotExist on reading it, with no query.
        user._meta.get_field("staff_profile").set_cached_value(user, None)
    else:
        profile.agency = agency
        profile.default_site = site
        user.staff_profile = profile
    return user
