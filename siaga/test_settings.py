"""Settings for the test suite: production settings with fast password hashing and
background tasks run at once (in the same transaction-aware way, on commit)."""

import tempfile

from siaga.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "siaga-tests"}}
#: Uploaded files of the test run go to a throwaway folder.
MEDIA_ROOT = tempfile.mkdtemp(prefix="siaga-test-media-")
