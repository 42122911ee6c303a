from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest


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
        """The user of a session, with their staff profile and its agency in the same query (every request
        reads them: agencies.middleware.AgencyMiddleware)."""
        users = get_user_model()._default_manager.select_related("staff_profile__agency", "staff_profile__default_site")
        try:
            user = users.get(pk=user_id)
        except users.model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
