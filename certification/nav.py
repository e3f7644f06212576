from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from certification.access import REPORT_READERS
from web.nav import NavItem

ITEMS = [
    NavItem(_("Kualifikasi"), "certification:credentials", roles=REPORT_READERS, order=60,
            match_prefix="/kualifikasi/"),
    NavItem(_("Riwayat saya"), "certification:me", roles=frozenset({Role.PARTICIPANT}), order=61,
            needs_person=True),
]
