"""A person with something in every section of the data export, made through the real services
where they exist (ORM rows where the branch has no service)."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from accounts.services import token_create
from certification.testing import make_credential
from credentials.models import Certificate
from credentials.tests.factories import make_certificate
from hours.tests.factories import make_entry
from readiness import services as readiness
from readiness.testing import world
from training.models import Attendance, EventSession

PDF = b"%PDF-1.4\n%siaga test certificate\n%%EOF\n"


class FullPerson:
    def __init__(self, cast):
        self.cast = cast
        self.person = cast.person_a
        self.user = cast.participant
        ready = world(cast)  # a completed LDP enrolment (competency) and a flood request
        self.enrolment = ready.person_enrolment = self.person.enrolments.get()
        version = ready.module.versions.get()
        start = timezone.now() - dt.timedelta(days=30)
        session = EventSession.objects.create(event=self.enrolment.event, module_version=version, title="Sesi 1",
                                              starts_at=start, ends_at=start + dt.timedelta(hours=3), jp=4)
        self.attendance = Attendance.objects.create(enrolment=self.enrolment, session=session, status="present")
        self.certificate = make_certificate(person=self.person)
        name = default_storage.save(f"credentials/pdf/test/{self.certificate.pk}.pdf", ContentFile(PDF))
        Certificate.objects.filter(pk=self.certificate.pk).update(pdf=name)
        self.entry = make_entry(person=self.person, with_evidence=True)
        self.credential = make_credential(self.person)
        callup = ready.accepted_callup()
        self.deployment = readiness.callup_confirm(callup=callup, by=ready.coordinator)
        self.callup = callup
        self.unavailability = readiness.unavailability_create(
            person=self.person, start_date=dt.date(2027, 1, 4), end_date=dt.date(2027, 1, 8), reason="Cuti tahunan",
            by=self.user)
        self.token, _secret = token_create(by=self.user, name="laptop")
