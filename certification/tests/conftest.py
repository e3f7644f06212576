import datetime as dt
import tempfile

import pytest


@pytest.fixture(autouse=True)
def _media(settings):
    with tempfile.TemporaryDirectory(prefix="siaga-cert-media-") as root:
        settings.MEDIA_ROOT = root
        yield root


@pytest.fixture
def completed_training(db):
    """A completed enrolment in programme ``code`` (rows written directly: the training services are
    another app's, and only its Contract fields are relied on here)."""
    from curriculum.models import Institution, Module, ModuleVersion
    from people.models import Region
    from training.models import Enrolment, Event, Programme, ProgrammeModule

    def make(person, *, code="dasar-pekerja-sosial", title="Pelatihan Dasar Pekerja Sosial",
             module_code="psdasar-01", completed=dt.datetime(2025, 5, 20, 3, 0, tzinfo=dt.UTC)):
        institution, _ = Institution.objects.get_or_create(code="pusbangprof", defaults={
            "name": "Pusbangprof", "kind": "centre"})
        module, _ = Module.objects.get_or_create(code=module_code, defaults={
            "title": "Dasar-dasar Praktik Pekerjaan Sosial", "owner": institution})
        version, _ = ModuleVersion.objects.get_or_create(module=module, number=2, defaults={
            "status": "approved", "total_minutes": 900, "approved_at": completed - dt.timedelta(days=90)})
        programme, _ = Programme.objects.get_or_create(code=code, defaults={"title": title, "total_minutes": 900})
        ProgrammeModule.objects.get_or_create(programme=programme, module_version=version)
        event = Event.objects.create(programme=programme, code=f"{code}-{person.pk}", name="Angkatan I Bandung",
                                     city=Region.objects.get(code="32.73"), start_date=dt.date(2025, 5, 12),
                                     end_date=dt.date(2025, 5, 20), venue_capacity=30, seats=30, status="finished")
        return Enrolment.objects.create(event=event, person=person, agency=person.agency, status="completed",
                                        completed_at=completed, attended_minutes=900, post_test_score=85)

    return make
