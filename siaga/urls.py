from importlib import import_module

from django.contrib import admin
from django.urls import include, path

from siaga.api import api

urlpatterns = [
    path("", include("web.urls")),
    path("akun/", include("accounts.urls")),
    path("sdm/", include("people.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

#: Each app's pages, mounted when the app has a ``urls.py``.
APP_URLS = [
    ("impor/", "imports"),
    ("modul/", "curriculum"),
    ("pelatihan/", "training"),
    ("sertifikat/", "credentials"),
    ("jp/", "hours"),
    ("siaga-bencana/", "readiness"),
]
for prefix, app in APP_URLS:
    try:
        import_module(f"{app}.urls")
    except ModuleNotFoundError as exc:
        if exc.name != f"{app}.urls":
            raise
        continue
    urlpatterns.append(path(prefix, include(f"{app}.urls")))
