from django.utils.translation import gettext_lazy as _

from imports.access import IMPORT_ROLES
from web.nav import NavItem

ITEMS = [NavItem(_("Impor"), "imports:list", roles=IMPORT_ROLES, order=12)]
