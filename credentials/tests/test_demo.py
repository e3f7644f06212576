from credentials import demo
from credentials.models import Certificate, CertificateTemplate, SigningKey
from credentials.tests.factories import make_enrolment
from training.models import Enrolment


def test_demo_makes_a_key_templates_and_certificates_once(cast):
    enrolment = make_enrolment(person=cast.person_a, status=Enrolment.Status.COMPLETED)
    assert demo.load() == 1
    assert demo.load() == 0
    assert SigningKey.objects.filter(is_active=True).count() == 1
    assert CertificateTemplate.objects.filter(programme=enrolment.event.programme).exists()
    assert Certificate.objects.live().filter(enrolment=enrolment).count() == 1
