"""Every NIP/NIK rule has its own code and message (GLOSSARY.md)."""

import datetime as dt

import pytest
from django.utils import translation

from people.identity import IdentityError, clean_number, mask_identity, parse_nik, parse_nip


def code_of(func, value, **kwargs) -> str:
    with pytest.raises(IdentityError) as info:
        func(value, **kwargs)
    return info.value.code


def test_it_accepts_a_pns_nip_typed_with_spaces():
    info = parse_nip("19800101 200501 1 001", sex="L", employment_type="PNS")
    assert info.nip == "198001012005011001"
    assert info.kind == "PNS" and info.birth_date == dt.date(1980, 1, 1) and info.tmt_month == 1


def test_it_accepts_the_glossary_pppk_example():
    info = parse_nip("200012312024211001", employment_type="PPPK")
    assert info.kind == "PPPK" and info.sex == "L" and info.tmt_year == 2024


@pytest.mark.parametrize(
    ("value", "kwargs", "code"),
    [
        ("", {}, "nip_required"),
        ("19800101A005011001", {}, "nip_not_digits"),
        ("1980010120050110", {}, "nip_length"),
        ("198013012005011001", {}, "nip_birth_date"),
        ("198001012005131001", {}, "nip_tmt"),
        ("198001011990011001", {}, "nip_tmt"),
        ("200012312024201001", {}, "nip_pppk_round"),
        ("198001012005013001", {}, "nip_sex_digit"),
        ("198001012005012001", {"sex": "L"}, "nip_sex_mismatch"),
        ("198001012005011000", {}, "nip_serial"),
        ("200012312024211001", {"employment_type": "PNS"}, "nip_type_mismatch"),
        ("198001012005011001", {"employment_type": "PPPK"}, "nip_type_mismatch"),
        ("198001012005011001", {"birth_date": dt.date(1980, 1, 2)}, "nip_birth_mismatch"),
    ],
)
def test_each_nip_failure_has_its_own_code(value, kwargs, code):
    assert code_of(parse_nip, value, **kwargs) == code


def test_nik_for_a_woman_adds_forty_to_the_day():
    info = parse_nik("3273015501900001", sex="P")
    assert info.birth_date == dt.date(1990, 1, 15) and info.sex == "P" and info.regency_code == "32.73"


@pytest.mark.parametrize(
    ("value", "kwargs", "code"),
    [
        ("", {}, "nik_required"),
        ("32730115019x0001", {}, "nik_not_digits"),
        ("327301150190", {}, "nik_length"),
        ("0073011501900001", {}, "nik_province"),
        ("3200011501900001", {}, "nik_regency"),
        ("3270011501900001", {}, "nik_regency"),
        ("3273001501900001", {}, "nik_district"),
        ("3273013201900001", {}, "nik_birth_date"),
        ("3273011513900001", {}, "nik_birth_date"),
        ("3273015501900001", {"sex": "L"}, "nik_sex_mismatch"),
        ("3273011501900000", {}, "nik_serial"),
        ("3273011501900001", {"birth_date": dt.date(1990, 1, 16)}, "nik_birth_mismatch"),
    ],
)
def test_each_nik_failure_has_its_own_code(value, kwargs, code):
    assert code_of(parse_nik, value, **kwargs) == code


def test_messages_are_indonesian_by_default_and_english_on_request():
    with translation.override("id"):
        with pytest.raises(IdentityError) as info:
            parse_nip("1980010120050110")
        assert info.value.message == "NIP harus 18 digit; yang diisi 16 digit."
    with translation.override("en"):
        with pytest.raises(IdentityError) as info:
            parse_nip("1980010120050110")
        assert info.value.message == "An NIP has 18 digits; 16 were given."


def test_clean_number_and_mask():
    assert clean_number(" 19800101.200501.1.001 ") == "198001012005011001"
    assert mask_identity("198001012005011001") == "1980•••••••••••001"
    assert mask_identity("3273015501900001") == "3273•••••••••001"
