from django.utils.translation import gettext_lazy as _

from accounts.roles import PEOPLE_READERS
from web.nav import NavItem

ITEMS = [NavItem(_("SDM Kesos"), "people:list", roles=PEOPLE_READERS, order=10)]
