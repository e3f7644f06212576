from django.utils.translation import gettext_lazy as _

from credentials.access import CERT_MANAGERS, CERT_READERS
from web.nav import NavItem

ITEMS = [
    NavItem(_("Sertifikat saya"), "credentials:mine", needs_person=True, order=45),
    NavItem(_("Sertifikat"), "credentials:list", roles=CERT_READERS, order=50),
    NavItem(_("Cetak massal"), "credentials:jobs", roles=CERT_MANAGERS, order=52),
    NavItem(_("Verifikasi sertifikat"), "verify:form", order=990),
]
