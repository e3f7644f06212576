from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from curriculum.access import CURRICULUM_READERS
from web.nav import NavItem

ITEMS = [
    # The prefix "/modul/?" matches no path, so the catalogue is highlighted on itself only, not on its sub-pages.
    NavItem(_("Katalog modul"), "curriculum:catalogue", roles=None, order=20, match_prefix="/modul/?"),
    NavItem(_("Modul dalam proses"), "curriculum:board", roles=CURRICULUM_READERS, order=21,
            match_prefix="/modul/dalam-proses/"),
    NavItem(_("Kompetensi"), "curriculum:competencies", roles=frozenset({Role.CENTRE_ADMIN}), order=22,
            match_prefix="/modul/kompetensi/"),
    NavItem(_("Lembaga mitra"), "curriculum:institutions", roles=frozenset({Role.CENTRE_ADMIN}), order=23,
            match_prefix="/modul/lembaga/"),
]
