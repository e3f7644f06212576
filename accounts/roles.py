"""The roles of Siaga and the groups of roles that access rules are written in."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CENTRE_ADMIN = "centre_admin", _("Admin Pusbangprof")
    ORGANISER = "organiser", _("Penyelenggara pelatihan")
    AUTHOR = "author", _("Penyusun modul")
    REVIEWER = "reviewer", _("Penelaah modul")
    APPROVER = "approver", _("Pengesah modul")
    AGENCY_ADMIN = "agency_admin", _("Admin SDM instansi")
    TRAINER = "trainer", _("Pengajar/fasilitator")
    PARTICIPANT = "participant", _("Peserta")
    AUDITOR = "auditor", _("Auditor")
    LEADERSHIP = "leadership", _("Pimpinan")
    COORDINATOR = "coordinator", _("Koordinator tanggap bencana")


ALL_ROLES = frozenset(Role.values)
#: Centre staff see every agency's data.
CENTRE_ROLES = frozenset({Role.CENTRE_ADMIN, Role.ORGANISER, Role.AUDITOR, Role.LEADERSHIP, Role.COORDINATOR})
#: Roles that may read the people registry (agency admins only their agency).
PEOPLE_READERS = CENTRE_ROLES | {Role.AGENCY_ADMIN}
#: Roles that may change people (agency admins only their agency).
PEOPLE_WRITERS = frozenset({Role.CENTRE_ADMIN, Role.ORGANISER, Role.AGENCY_ADMIN})
#: Read-only everywhere.
READ_ONLY_ROLES = frozenset({Role.AUDITOR, Role.LEADERSHIP})
AUDIT_READERS = frozenset({Role.CENTRE_ADMIN, Role.AUDITOR})
#: "Admin roles" for two-factor sign-in: each reads or changes many people's personal data (NIK, NIP,
#: birth dates, phone numbers) or the audit log. They may enrol in TOTP; with SIAGA_REQUIRE_2FA they
#: must. Superusers and Django-admin staff count as admin roles too (accounts.two_factor.offers_two_factor).
TWO_FACTOR_ROLES = CENTRE_ROLES | {Role.AGENCY_ADMIN}
