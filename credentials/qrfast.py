"""A fast QR encoder for certificate codes: byte and alphanumeric segments, a fixed mask.

segno (pure Python) spends most of a code's time placing bits module by module, computing
Reed–Solomon blocks bit-wise and evaluating masks. Per (version, error level, mask) this module
builds once, with segno's own functions, the matrix of function patterns and format/version
information, the order of the data modules and their mask bits; each code then only needs its
bit stream, a table-driven Reed–Solomon remainder and one pass over the data modules. The output
is module-for-module what ``segno.make(..., version=v, error=e, mask=m, boost_error=False)``
gives (tested), so any reader that reads segno's codes reads these."""

from __future__ import annotations

from functools import cache
from operator import itemgetter

from segno import consts, encoder

ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_ALNUM_VALUE = {ch: i for i, ch in enumerate(ALNUM)}
BYTE, ALPHANUMERIC = "byte", "alphanumeric"

# GF(256) with the QR polynomial x^8 + x^4 + x^3 + x^2 + 1.
_EXP = [0] * 512
_LOG = [0] * 256
_x = 1
for _i in range(255):
    _EXP[_i] = _x
    _LOG[_x] = _i
    _x <<= 1
    if _x & 0x100:
        _x ^= 0x11D
for _i in range(255, 512):
    _EXP[_i] = _EXP[_i - 255]


def _gf_mul(a: int, b: int) -> int:
    return 0 if a == 0 or b == 0 else _EXP[_LOG[a] + _LOG[b]]


@cache
def _generator(degree: int) -> tuple[int, ...]:
    poly = [1]
    for i in range(degree):
        nxt = [0] * (len(poly) + 1)
        for j, coef in enumerate(poly):
            nxt[j] ^= coef
            nxt[j + 1] ^= _gf_mul(coef, _EXP[i])
        poly = nxt
    return tuple(poly[1:])


@cache
def _rs_table(degree: int) -> tuple[int, ...]:
    """For every feedback byte f, f × generator as one big integer (``degree`` bytes)."""
    gen = _generator(degree)
    table = []
    for f in range(256):
        value = 0
        for coef in gen:
            value = (value << 8) | _gf_mul(f, coef)
        table.append(value)
    return tuple(table)


def _rs_remainder(data: bytes, degree: int) -> bytes:
    table = _rs_table(degree)
    shift = 8 * (degree - 1)
    mask = (1 << (8 * degree)) - 1
    reg = 0
    for byte in data:
        f = (reg >> shift) ^ byte
        reg = ((reg << 8) & mask) ^ table[f]
    return reg.to_bytes(degree, "big")


def _count_bits(mode: str, version: int) -> int:
    if mode == BYTE:
        return 8 if version <= 9 else 16
    return 9 if version <= 9 else 11 if version <= 26 else 13


def _payloads(segments) -> list[tuple[str, int, str]]:
    """Each segment as (mode, character count, data bits as a '0'/'1' string); version-independent."""
    out = []
    for text, mode in segments:
        if mode == BYTE:
            data = text.encode("utf-8") if isinstance(text, str) else text
            out.append((BYTE, len(data), format(int.from_bytes(data, "big"), f"0{8 * len(data)}b") if data else ""))
        else:
            values = [_ALNUM_VALUE[ch] for ch in text]
            parts = [f"{a * 45 + b:011b}" for a, b in zip(values[0::2], values[1::2], strict=False)]
            if len(values) % 2:
                parts.append(f"{values[-1]:06b}")
            out.append((ALPHANUMERIC, len(text), "".join(parts)))
    return out


def _bit_length(payloads, version: int) -> int:
    return sum(4 + _count_bits(mode, version) + len(bits) for mode, _count, bits in payloads)


def _segment_bits(payloads, version: int) -> tuple[int, int]:
    """The segments as (value, bit length)."""
    text = "".join(("0100" if mode == BYTE else "0010") + format(count, f"0{_count_bits(mode, version)}b") + bits
                   for mode, count, bits in payloads)
    return (int(text, 2) if text else 0), len(text)


def _data_codewords(version: int, error: int) -> int:
    return sum(ec.num_blocks * ec.num_data for ec in consts.ECC[version][error])


@cache
def _layout(version: int, error: int, mask: int):
    """The fixed part of every code of this version: base matrix, data module order and mask bits."""
    size = encoder.calc_matrix_size(version)
    matrix = encoder.make_matrix(size, size)
    encoder.add_finder_patterns(matrix, size, size)
    encoder.add_alignment_patterns(matrix, size, size)
    positions = []
    for right in range(size - 1, 0, -2):
        if right <= 6:
            right -= 1
        for vertical in range(size):
            for z in (0, 1):
                j = right - z
                upwards = ((right & 2) == 0) ^ (j < 6)
                i = (size - 1 - vertical) if upwards else vertical
                if matrix[i][j] == 0x2:
                    positions.append(i * size + j)
    base = [bytearray(row) for row in matrix]
    for row in base:
        for j, v in enumerate(row):
            if v == 0x2:
                row[j] = 0
    encoder.add_format_info(base, version, error, mask)
    encoder.add_version_info(base, version)
    mask_fn = encoder.get_data_mask_functions(False)[mask]
    mask_bits = "".join("1" if mask_fn(p // size, p % size) else "0" for p in positions)
    flat = bytes(bytearray().join(base))
    # Scatter by gathering: module p takes masked bit index[p]; function modules take a trailing 0.
    n = len(positions)
    index = [n] * (size * size)
    for k, p in enumerate(positions):
        index[p] = k
    return size, int.from_bytes(flat, "big"), itemgetter(*index), int(mask_bits, 2), n


def encode(segments, *, error: int = consts.ERROR_LEVEL_L, mask: int = 3, version: int | None = None
           ) -> list[bytearray]:
    """The module matrix (rows of 0/1) of a QR code holding ``segments`` [(text, "byte"|"alphanumeric")]."""
    segments = [(t, m) for t, m in segments if t]
    for text, mode in segments:
        if mode == ALPHANUMERIC and any(ch not in _ALNUM_VALUE for ch in text):
            raise ValueError("text is not in the QR alphanumeric character set")
    payloads = _payloads(segments)
    if version is None:
        for candidate in range(1, 41):
            if _bit_length(payloads, candidate) <= 8 * _data_codewords(candidate, error):
                version = candidate
                break
        else:
            raise ValueError("data too long for a QR code")
    value, length = _segment_bits(payloads, version)
    capacity = 8 * _data_codewords(version, error)
    if length > capacity:
        raise ValueError("data does not fit this version")
    term = min(4, capacity - length)
    value <<= term
    length += term
    # Like segno: 1–8 zero bits to the byte boundary (a whole zero byte when already aligned).
    pad = min(8 - length % 8, capacity - length)
    value <<= pad
    length += pad
    data = value.to_bytes(length // 8, "big") if length else b""
    fill = capacity // 8 - len(data)
    data += (b"\xec\x11" * (fill // 2 + 1))[:fill]
    # Split into blocks, add Reed–Solomon, interleave.
    blocks, ecc = [], []
    pos = 0
    for ec in consts.ECC[version][error]:
        for _ in range(ec.num_blocks):
            block = data[pos:pos + ec.num_data]
            pos += ec.num_data
            blocks.append(block)
            ecc.append(_rs_remainder(block, ec.num_total - ec.num_data))
    longest = max(len(b) for b in blocks)
    message = bytearray()
    for i in range(longest):
        message.extend(b[i] for b in blocks if i < len(b))
    for i in range(len(ecc[0])):
        message.extend(e[i] for e in ecc)
    size, base, gather, mask_bits, n = _layout(version, error, mask)
    bits = int.from_bytes(message, "big") << (n - 8 * len(message))  # remainder bits are 0
    masked = format(bits ^ mask_bits, f"0{n}b").encode("ascii").translate(_BITS) + b"\0"
    data = bytes(gather(masked))
    out = (int.from_bytes(data, "big") | base).to_bytes(size * size, "big")
    return [out[r * size:(r + 1) * size] for r in range(size)]


_BITS = bytes.maketrans(b"01", b"\0\1")
