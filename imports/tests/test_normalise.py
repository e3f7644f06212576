"""Normalising values as people write them."""

import datetime as dt

import pytest

from imports.mapping import PEOPLE_FIELDS
from imports.normalise import (
    Problem,
    RegionIndex,
    identity_text,
    parse_date,
    parse_employment_type,
    parse_sex,
    split_place_date,
)
from imports.table import find_table


@pytest.mark.parametrize("value", ["19800101 200501 2 001", "19800101.200501.2.001", "198001012005012001",
                                   "'198001012005012001", "19800101-200501-2-001"])
def test_nip_with_spaces_dots_and_dashes_becomes_digits(value):
    assert identity_text(value) == "198001012005012001"


def test_a_nip_stored_by_excel_as_a_number_says_digits_were_lost():
    with pytest.raises(Problem) as info:
        identity_text(1.98001012005012e17)
    assert "digit terakhir hilang" in info.value.message


@pytest.mark.parametrize("value", ["1.98001E+17", "1,98001E+17", "3.27301E+15"])
def test_a_nip_in_scientific_notation_says_digits_were_lost(value):
    with pytest.raises(Problem) as info:
        identity_text(value)
    assert "notasi ilmiah" in info.value.message


@pytest.mark.parametrize(("value", "sex"), [("L", "L"), ("P", "P"), ("Laki-laki", "L"), ("laki laki", "L"),
                                            ("Perempuan", "P"), ("M", "L"), ("F", "P"), ("Pria", "L"),
                                            ("Wanita", "P"), ("l", "L")])
def test_sex_in_every_common_form(value, sex):
    assert parse_sex(value) == sex


def test_an_unknown_sex_is_a_problem():
    with pytest.raises(Problem):
        parse_sex("X")


@pytest.mark.parametrize("value", ["01/01/1980", "1/1/1980", "01-01-1980", "1980-01-01", "1 Januari 1980",
                                   "1 Jan 1980", "01-Jan-1980", "1 January 1980", 29221, 29221.0, "29221",
                                   dt.date(1980, 1, 1), dt.datetime(1980, 1, 1), "1980-01-01 00:00:00",
                                   "01/01/1980 00:00"])
def test_dates_in_every_form(value):
    assert parse_date(value) == dt.date(1980, 1, 1)


def test_impossible_dates_are_problems():
    for value in ("31/02/1980", "1 Brumaire 1980", "kemarin"):
        with pytest.raises(Problem):
            parse_date(value)


def test_place_and_date_of_birth_are_split():
    assert split_place_date("Bandung, 1 Januari 1980") == ("Bandung", dt.date(1980, 1, 1))
    assert split_place_date("Kab. Bandung Barat, 17-08-1975") == ("Kab. Bandung Barat", dt.date(1975, 8, 17))
    assert split_place_date("Jakarta 02/03/1990") == ("Jakarta", dt.date(1990, 3, 2))


@pytest.mark.parametrize(("value", "kind"), [("PNS", "PNS"), ("pppk", "PPPK"), ("P3K", "PPPK"),
                                             ("Non ASN", "NON_ASN"), ("Non-ASN", "NON_ASN"), ("Honorer", "NON_ASN")])
def test_employment_types(value, kind):
    assert parse_employment_type(value) == kind


@pytest.fixture
def regions(db):
    return RegionIndex.from_db()


@pytest.mark.parametrize("value", ["Jawa Barat", "Jabar", "JABAR", "Prov. Jawa Barat", "Provinsi Jawa Barat", "32"])
def test_province_names_in_their_common_forms(regions, value):
    assert regions.province(value) == "32"


def test_dki_and_diy(regions):
    assert regions.province("DKI") == regions.province("DKI Jakarta") == "31"
    assert regions.province("DIY") == regions.province("Daerah Istimewa Yogyakarta") == "34"


def test_kabupaten_and_kota_bandung_are_told_apart(regions):
    assert regions.regency("Kab. Bandung") == regions.regency("Kabupaten Bandung") == "32.04"
    assert regions.regency("Kota Bandung") == regions.regency("KOTA BANDUNG") == "32.73"
    assert regions.regency("3273") == regions.regency("32.73") == "32.73"
    assert regions.regency("Sleman") == "34.04"  # only one of that name


def test_an_ambiguous_regency_is_reported_not_guessed(regions):
    with pytest.raises(Problem) as info:
        regions.regency("Bandung", province="32")
    assert "Kabupaten Bandung (32.04)" in info.value.message and "Kota Bandung (32.73)" in info.value.message


def test_a_regency_outside_the_province_is_a_problem(regions):
    with pytest.raises(Problem):
        regions.regency("Kota Bandung", province="33")


@pytest.mark.parametrize(("header", "field"), [
    ("Nama Lengkap", "full_name"), ("NAMA", "full_name"), ("Nama Lengkap (dengan gelar)", "full_name"),
    ("NIP/NIK", "identity"), ("NIP / NIK", "identity"), ("NIP", "nip"), ("NIK", "nik"), ("No. KTP", "nik"),
    ("Jenis Kelamin", "sex"), ("L/P", "sex"), ("Tgl Lahir", "birth_date"), ("Tgl. Lahir", "birth_date"),
    ("Tempat, Tanggal Lahir", "birth_place_date"), ("TTL", "birth_place_date"), ("Jabatan", "position"),
    ("Pangkat/Gol", "rank_grade"), ("Pangkat / Gol. Ruang", "rank_grade"), ("Unit Kerja", "work_unit"),
    ("Instansi", "agency"), ("Provinsi", "province"), ("Kab/Kota", "region"), ("Kabupaten/Kota", "region"),
    ("No. HP", "phone"), ("No HP/WA", "phone"), ("Email", "email"), ("E-mail", "email"),
    ("Full name", "full_name"), ("Date of birth", "birth_date"), ("Phone", "phone"), ("Sex", "sex"),
])
def test_header_synonyms(header, field):
    assert PEOPLE_FIELDS.match(header) == field


def test_the_table_is_found_below_titles_and_ends_before_the_footer():
    rows = [
        ["DAFTAR PESERTA BIMTEK", "", ""], ["", "", ""], ["Periode 2025", "", ""],
        ["No", "Nama", "NIP", "L/P"], ["1", "2", "3", "4"],
        [1, "Siti", "198001012005012001", "P"], ["", "", "", ""], [2, "Budi", "198001012005011001", "L"],
        ["", "", "", ""], ["Jumlah", "2 orang", "", ""], ["", "Bandung, 2 Januari 2025", "", ""],
        ["", "NIP. 19700101 199001 1 001", "", ""],
    ]
    table = find_table(rows, PEOPLE_FIELDS)
    assert table.header_row == 4
    assert table.mapping == {1: "full_name", 2: "nip", 3: "sex"}
    assert table.numbering_columns == [0]
    assert [number for number, _row in table.rows] == [6, 8]


def test_a_signature_block_without_totals_is_skipped():
    rows = [["Nama", "NIP", "L/P"], ["Siti", "198001012005012001", "P"], ["", "", ""],
            ["", "Bandung, 2 Januari 2025", ""], ["", "Kepala Dinas", ""], ["", "Drs. Ahmad", ""]]
    table = find_table(rows, PEOPLE_FIELDS)
    assert [number for number, _row in table.rows] == [2]


@pytest.mark.parametrize("name", ["Siti Aminah", "Dra. Siti Aminah, M.Si.", "Ni Made Ayu Ayu", "Ömer  Çelik-Ünal",
                                  "A" * 60 + " B"])
def test_search_words_from_the_sort_name_equal_the_registry_words(name):
    from imports.writer import tokens_of_sort_name
    from people.normalize import name_tokens, sort_key

    assert tokens_of_sort_name(sort_key(name)) == name_tokens(name)
