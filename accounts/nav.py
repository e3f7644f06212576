from django.utils.translation import gettext_lazy as _

from accounts.roles import AUDIT_READERS
from web.nav import NavItem

ITEMS = [
    NavItem(_("Audit"), "accounts:audit", roles=AUDIT_READERS, order=900),
    NavItem(_("Akun"), "accounts:account", order=940),
]
