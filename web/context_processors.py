from django.conf import settings

from web.nav import nav_for


def siaga(request):
    return {
        "nav_items": nav_for(getattr(request, "user", None), request.path),
        "zone_label": getattr(request, "zone_label", "WIB"),
        "site_url": settings.SITE_URL,
    }
