import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from curriculum.models import ModuleVersion
from siaga.testing import SYSTEM
from training.services_programme import ProgrammeInput, programme_create, programme_pass_mark
from training.tests.factories import make_programme, make_version

pytestmark = pytest.mark.django_db


def test_it_orders_the_curriculum_and_totals_the_jp():
    a, b = make_version(jp=4, sessions=2), make_version(jp=3, sessions=1)
    programme = make_programme(versions=[b, a])
    assert [i.module_version_id for i in programme.items.order_by("order")] == [b.pk, a.pk]
    assert programme.total_minutes == (8 + 3) * 45
    assert programme.jp == 11


def test_it_refuses_a_version_that_is_not_approved():
    draft = make_version(status=ModuleVersion.Status.DRAFT)
    with pytest.raises(ValidationError, match="belum disahkan"):
        programme_create(data=ProgrammeInput(code="p1", title="P", module_versions=[draft]), by=SYSTEM)


def test_it_refuses_an_empty_curriculum():
    with pytest.raises(ValidationError):
        programme_create(data=ProgrammeInput(code="p2", title="P", module_versions=[]), by=SYSTEM)


def test_only_organisers_create_programmes(cast):
    with pytest.raises(PermissionDenied):
        programme_create(data=ProgrammeInput(code="p3", title="P", module_versions=[make_version()]),
                         by=cast.agency_admin)


def test_the_pass_mark_defaults_to_the_highest_of_the_modules():
    programme = make_programme(versions=[make_version(pass_mark=60), make_version(pass_mark=75)])
    assert programme_pass_mark(programme) == 75
    programme.pass_mark = 65
    assert programme_pass_mark(programme) == 65
