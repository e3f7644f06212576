from importlib import import_module

from django.contrib import admin
from django.urls import include, path

from siaga.api import api
from siaga.metrics import metrics_view

urlpatterns = [
    # first: an API request then skips the page patterns (the empty prefix of web.urls tries them all)
    path("api/", api.urls),
    path("", include("web.urls")),
    path("akun/", include("accounts.urls")),
    path("sdm/", include("people.urls")),
    path("admin/", admin.site.urls),
    path("metrics", metrics_view, name="metrics"),
]

#: Each app's pages, mounted when the app has a ``urls.py``.
APP_URLS = [
    ("impor/", "imports"),
    ("modul/", "curriculum"),
    ("pelatihan/", "training"),
    ("sertifikat/", "credentials"),
    ("jp/", "hours"),
    ("kualifikasi/", "certification"),
    ("siaga-bencana/", "readiness"),
    ("data-pribadi/", "privacy"),
    # Public, short addresses: certificate verification (QR codes) and the xAPI endpoint.
    ("v/", "credentials.public_urls"),
    ("xapi/", "hours.xapi_urls"),
]
for prefix, module in APP_URLS:
    module_path = module if "." in module else f"{module}.urls"
    try:
        import_module(module_path)
    except ModuleNotFoundError as exc:
        if exc.name != module_path:
            raise
        continue
    urlpatterns.append(path(prefix, include(module_path)))
