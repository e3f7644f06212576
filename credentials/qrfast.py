"""A fast QR encoder for certificate codes: byte and alphanumeric segments, a fixed mask.

segno (pure Python) spends most of a code's time placing bits module by module, computing
Reed–Solomon blocks bit-wise and evaluating masks. Per (version, error level, mask) this module
builds once, with segno's own functions, the matrix of function patterns and format/version
information, the order of the data modules and their mask bits; each code then only needs its
bit stream, a table-driven Reed–Solomon remainder and one pass over the data modules. The output
is module-for-module what ``segno.make(..., version=v, error=e, mask=m, boost_error=False)``
gives (tested), so any reader that reads segno's codes reads these."""

from __future__ import annotations

from collections import deque
from functools import cache, reduce
from itertools import chain
from operator import getitem, xor

from segno import consts, encoder

ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_ALNUM_VALUE = {ch: i for i, ch in enumerate(ALNUM)}
_ALNUM_SET = frozenset(ALNUM)
_ALNUM_PAIRS = {(a, b): f"{_ALNUM_VALUE[a] * 45 + _ALNUM_VALUE[b]:011b}" for a in ALNUM for b in ALNUM}
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


def _rs_remainder_slow(data: bytes, degree: int) -> bytes:
    """The Reed–Solomon remainder, byte by byte (a shift register)."""
    table = _rs_table(degree)
    shift = 8 * (degree - 1)
    mask = (1 << (8 * degree)) - 1
    reg = 0
    for byte in data:
        f = (reg >> shift) ^ byte
        reg = ((reg << 8) & mask) ^ table[f]
    return reg.to_bytes(degree, "big")


@cache
def _rs_positions(length: int, degree: int) -> tuple[tuple[int, ...], ...]:
    """The remainder is linear in the data: for each position of a block of ``length`` bytes and each
    byte value, the remainder of a block holding only that byte (one table per block shape)."""
    table = _rs_table(degree)
    shift = 8 * (degree - 1)
    mask = (1 << (8 * degree)) - 1
    rows = [table]
    for _ in range(length - 1):  # one more zero byte after it: one more step of the register
        rows.append(tuple(((reg << 8) & mask) ^ table[reg >> shift] for reg in rows[-1]))
    return tuple(reversed(rows))


def _rs_remainder(data: bytes, degree: int) -> bytes:
    return reduce(xor, map(getitem, _rs_positions(len(data), degree), data), 0).to_bytes(degree, "big")


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
            # Pairs of characters as 11 bits, a last odd one as 6 (table look-ups, no loop in Python).
            bits = "".join(map(_ALNUM_PAIRS.__getitem__, zip(text[0::2], text[1::2], strict=False)))
            if len(text) % 2:
                bits += f"{_ALNUM_VALUE[text[-1]]:06b}"
            out.append((ALPHANUMERIC, len(text), bits))
    return out


def _bit_length(payloads, version: int) -> int:
    return sum(4 + _count_bits(mode, version) + len(bits) for mode, _count, bits in payloads)


@cache
def _smallest_version(shape: tuple[tuple[str, int], ...], error: int) -> int:
    """The smallest version that holds segments of these (mode, data bit length)."""
    for version in range(1, 41):
        need = sum(4 + _count_bits(mode, version) + length for mode, length in shape)
        if need <= 8 * _data_codewords(version, error):
            return version
    raise ValueError("data too long for a QR code")


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
    # The code is kept as a 1-bit image of the matrix *transposed*: image row j is matrix column j, in
    # ``width`` bits (whole bytes, the padding 0). Data modules run down and up column pairs, so in
    # this order they come in long arithmetic runs of the bit stream: ~130 slice copies place them
    # all (function modules and padding stay "0"; the base pattern is OR-ed in afterwards).
    width = (size + 7) // 8 * 8
    base_bits = "".join("".join(str(base[i][j]) for i in range(size)) + "0" * (width - size) for j in range(size))
    order = sorted(((p % size) * width + p // size, k) for k, p in enumerate(positions))
    runs = []
    start = 0
    while start < len(order):
        end = start + 1
        step = order[end][1] - order[start][1] if end < len(order) else 1
        while (end < len(order) and order[end][0] == order[end - 1][0] + 1
               and order[end][1] - order[end - 1][1] == step):
            end += 1
        (dst, src), count = order[start], end - start
        stop = src + step * count
        run = slice(src, stop if stop >= 0 else None, step)
        assert len(range(*run.indices(len(positions)))) == count
        runs.append((slice(dst, dst + count), run))
        start = end
    targets, sources = (tuple(r[0] for r in runs), tuple(r[1] for r in runs))
    return size, int(base_bits, 2), targets, sources, int(mask_bits, 2), len(positions), b"0" * (width * size)


def encode(segments, *, error: int = consts.ERROR_LEVEL_L, mask: int = 3, version: int | None = None
           ) -> list[bytes]:
    """The module matrix (rows of 0/1) of a QR code holding ``segments`` [(text, "byte"|"alphanumeric")]."""
    size, image = encode_packed(segments, error=error, mask=mask, version=version)
    width = (size + 7) // 8 * 8
    bits = format(int.from_bytes(image, "big"), f"0{8 * len(image)}b").encode("ascii").translate(_BITS)
    return [bytes(bits[j * width + i] for j in range(size)) for i in range(size)]


def encode_packed(segments, *, error: int = consts.ERROR_LEVEL_L, mask: int = 3, version: int | None = None
                  ) -> tuple[int, bytes]:
    """The matrix size and the modules as a 1-bit image of the *transposed* matrix (image row j =
    matrix column j; 1 = dark; rows padded to whole bytes). Draw it transposed back."""
    segments = [(t, m) for t, m in segments if t]
    for text, mode in segments:
        if mode == ALPHANUMERIC and not is_alphanumeric(text):
            raise ValueError("text is not in the QR alphanumeric character set")
    payloads = _payloads(segments)
    if version is None:
        version = _smallest_version(tuple((mode, len(bits)) for mode, _count, bits in payloads), error)
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
    # Blocks differ in length by at most one byte (the later, longer ones): column by column.
    shortest = min(len(b) for b in blocks)
    message = bytearray(chain.from_iterable(zip(*blocks, strict=False)))
    message.extend(b[shortest] for b in blocks if len(b) > shortest)
    message.extend(chain.from_iterable(zip(*ecc, strict=False)))
    size, base, targets, sources, mask_bits, n, blank = _layout(version, error, mask)
    bits = int.from_bytes(message, "big") << (n - 8 * len(message))  # remainder bits are 0
    masked = format(bits ^ mask_bits, f"0{n}b").encode("ascii")
    cells = bytearray(blank)
    # cells[target] = masked[source] for every run, iterated in C (no Python loop).
    deque(map(cells.__setitem__, targets, map(masked.__getitem__, sources)), maxlen=0)
    return size, (int(cells, 2) | base).to_bytes((size + 7) // 8 * size, "big")


_BITS = bytes.maketrans(b"01", b"\0\1")


def is_alphanumeric(text: str) -> bool:
    return _ALNUM_SET.issuperset(text)
