import base64
import random

import segno
from segno import consts

from credentials import qrfast
from credentials.render import qr_matrix


def _b32(data: bytes) -> str:
    return base64.b32encode(data).decode().rstrip("=")


def test_the_fast_encoder_gives_segnos_modules_for_every_size_of_payload():
    rng = random.Random(7)
    versions = set()
    for n in range(0, 160, 7):
        head = "https://siaga.kemensos.go.id/v/"[: 18 + n % 14]
        tail = "ABCDEFGHJK/S1.KABCDE." + _b32(rng.randbytes(n)) + "." + _b32(rng.randbytes(64))
        ours = qrfast.encode([(head, qrfast.BYTE), (tail, qrfast.ALPHANUMERIC)])
        theirs = segno.make([(head, consts.MODE_BYTE), (tail, consts.MODE_ALPHANUMERIC)], error="L", mask=3,
                            micro=False, boost_error=False)
        assert [bytes(r) for r in ours] == [bytes(r) for r in theirs.matrix], (n, theirs.version)
        versions.add(theirs.version)
    assert len(versions) >= 4


def test_a_plain_byte_text_matches_segno_too():
    text = "http://127.0.0.1:8000/v/abc?x=1"
    theirs = segno.make(text, error="L", mask=3, micro=False, boost_error=False, mode="byte")
    assert [bytes(r) for r in qr_matrix(text)] == [bytes(r) for r in theirs.matrix]
