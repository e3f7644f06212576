from django.utils.translation import gettext_lazy as _

from training.access import READERS
from web.nav import NavItem

ITEMS = [
    NavItem(_("Pelatihan"), "training:programmes", roles=READERS, order=30, match_prefix="/pelatihan/program"),
    NavItem(_("Angkatan"), "training:events", roles=READERS, order=31, match_prefix="/pelatihan/angkatan"),
    NavItem(_("Pelatihan saya"), "training:mine", order=32, needs_person=True),
]
