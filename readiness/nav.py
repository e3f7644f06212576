from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from readiness.access import READERS
from web.nav import NavItem

ITEMS = [
    NavItem(_("Kesiapsiagaan"), "readiness:dashboard", roles=READERS, order=70),
    NavItem(_("Tanggap bencana"), "readiness:incidents", roles=READERS, order=71),
    NavItem(_("Penugasan"), "readiness:deployments", roles=READERS | {Role.PARTICIPANT}, order=72),
    NavItem(_("Persetujuan penugasan"), "readiness:consents", roles=frozenset({Role.AGENCY_ADMIN}), order=73),
    NavItem(_("Tidak bersedia"), "readiness:unavailability", roles=frozenset({Role.PARTICIPANT}), order=74,
            needs_person=True),
    NavItem(_("Tidak bersedia"), "readiness:unavailability", roles=frozenset({Role.AGENCY_ADMIN}), order=74),
]
