"""Test settings: the real settings, with what makes tests fast and self-contained."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("OCMS_COLLECTED_STATIC", "false")
# A fixed key for tests only; production sets its own.
os.environ.setdefault("OCMS_DRAFT_KEYS", "dGVzdC1vbmx5LWtleS1ub3Qtc2VjcmV0LTMyYnl0ZXM=")

from ocms.settings import *  # noqa: E402,F403

ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Argon2 costs a large part of a second per hash on two cores; tests need many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
