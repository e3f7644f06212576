from django.utils.translation import gettext_lazy as _

from hours.access import DASHBOARD_ROLES, LEDGER_MANAGERS
from web.nav import NavItem

ITEMS = [
    NavItem(_("JP saya"), "hours:mine", needs_person=True, order=40),
    NavItem(_("Dasbor JP"), "hours:dashboard", roles=DASHBOARD_ROLES, order=45, match_prefix="/jp/dasbor/"),
    NavItem(_("Verifikasi JP"), "hours:pending", roles=LEDGER_MANAGERS, order=46),
]
