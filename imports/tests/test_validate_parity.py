"""The importer's row rules agree with the registry's ``person_clean`` on the fields both check."""

import pytest
from django.core.exceptions import ValidationError

from imports.validate import Context, PeopleRowValidator
from people.services import PersonInput, person_clean

HEADERS = ["Nama", "NIP", "NIK", "JK", "Status", "No HP", "Email"]
MAPPING = {0: "full_name", 1: "nip", 2: "nik", 3: "sex", 4: "employment_type", 5: "phone", 6: "email"}
COLUMN_FIELD = {"Nama": "full_name", "NIP": "nip", "NIK": "nik", "JK": "sex", "Status": "employment_type",
                "No HP": "phone", "Email": "email"}

CASES = [
    ["Siti Aminah", "198001012005012001", "", "P", "PNS", "0812-3456-7890", "siti@contoh.go.id"],
    ["", "198001012005012001", "", "P", "PNS", "", ""],
    ["Siti Aminah", "198001012005011001", "", "P", "PNS", "", ""],  # NIP says male
    ["Siti Aminah", "19800101200501200", "", "P", "PNS", "", ""],  # 17 digits
    ["Siti Aminah", "198001012005012000", "", "P", "PNS", "", ""],  # serial 000
    ["Siti Aminah", "200012312024211001", "", "L", "PNS", "", ""],  # a PPPK NIP for a PNS
    ["Budi", "", "3273011503850001", "L", "Non-ASN", "", ""],
    ["Budi", "", "3273015503850001", "L", "Non-ASN", "", ""],  # NIK says female
    ["Budi", "", "9973011503850001", "L", "Non-ASN", "", ""],  # no such province
    ["Budi", "", "", "L", "Non-ASN", "", ""],  # NIK required
    ["Budi", "", "3273011503850001", "L", "Non-ASN", "12345", "bukan-email"],
]


@pytest.mark.parametrize("row", CASES)
def test_the_importer_flags_the_same_fields_as_the_registry(cast, row):
    validator = PeopleRowValidator(headers=HEADERS, mapping=MAPPING, context=Context(agency=cast.kemensos))
    result = validator.check(2, row)
    flagged = {COLUMN_FIELD[i.column] for i in result.errors}
    data = PersonInput(full_name=row[0], nip=row[1] or None, nik=row[2] or None, sex=row[3],
                       employment_type={"PNS": "PNS", "Non-ASN": "NON_ASN"}[row[4]], phone=row[5], email=row[6],
                       agency=cast.kemensos)
    try:
        person_clean(data)
        expected: set[str] = set()
    except ValidationError as exc:
        expected = set(exc.message_dict)
    assert flagged == expected
