import pytest

from accounts import demo as accounts_demo
from curriculum import demo
from curriculum.models import InstitutionMember, Module, ModuleVersion
from curriculum.selectors import board


@pytest.mark.django_db
def test_the_demo_loads_partner_institutions_and_modules_and_is_idempotent():
    accounts_demo.load()
    demo.load()
    demo.load()
    approved = set(Module.objects.filter(versions__status=ModuleVersion.Status.APPROVED)
                   .values_list("title", flat=True))
    assert {"Layanan Dukungan Psikososial (LDP) pada Masa Pandemi Covid-19", "Dapur Umum", "Pengelolaan Shelter",
            "Kaji Cepat", "Dasar Jabatan Fungsional Pekerja Sosial"} <= approved
    assert Module.objects.count() == len(demo.MODULES)
    author_at = set(InstitutionMember.objects.filter(user__username="penyusun").values_list("institution", flat=True))
    reviewer_at = set(InstitutionMember.objects.filter(user__username="penelaah")
                      .values_list("institution", flat=True))
    assert author_at and reviewer_at and not author_at & reviewer_at
    rows = {r.version.module.code: r for r in board()}
    assert rows["perlindungan-kelompok-rentan"].overdue
    assert Module.objects.get(code="ldp-covid19").current_version.number == 2
