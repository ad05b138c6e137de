#!/usr/bin/env python3
"""Computes the test vectors of docs/storage-format.md §7 from the document's rules alone.

Independent of the Swift code: Python's hashlib (SHA-256, scrypt), hmac, the `regex` module
(extended grapheme clusters, \\X) and the `cryptography` package (AES-256-GCM only; HKDF is
written out below from RFC 5869). Run from the repository root:

    python3 Tests/CrateStorageTests/Vectors/generate.py

It rewrites the files of this folder; `git diff` must then show no change.
FormatVectorTests.swift checks that the Swift code produces the same bytes.
"""
import base64
import hashlib
import hmac
import json
import os

import regex
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

HERE = os.path.dirname(os.path.abspath(__file__))


# §2 Keys ---------------------------------------------------------------------------------

def hkdf_sha256(ikm: bytes, info: bytes, length: int) -> bytes:
    prk = hmac.new(b"\x00" * 32, ikm, hashlib.sha256).digest()  # empty salt = 32 zero bytes
    out, block, counter = b"", b"", 1
    while len(out) < length:
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        out += block
        counter += 1
    return out[:length]


DATA_KEY = bytes(range(32))
SEALING_KEY = hkdf_sha256(DATA_KEY, b"crate/v1/seal", 32)
IDENTIFIER_KEY = hkdf_sha256(DATA_KEY, b"crate/v1/object-id", 32)
KEY_ID = hkdf_sha256(DATA_KEY, b"crate/v1/key-id", 8)
NONCE_PREFIX = bytes([0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6])


# §3 Sealed objects ------------------------------------------------------------------------

SEGMENT = 65536
TAG = 16


def seal(plaintext: bytes, object_key: str, nonce_prefix: bytes = NONCE_PREFIX) -> bytes:
    header = b"CRATESLD" + b"\x01" + KEY_ID + nonce_prefix
    ad = header + object_key.encode("utf-8")
    count = max(1, -(-len(plaintext) // SEGMENT))
    aead = AESGCM(SEALING_KEY)
    out = header
    for i in range(count):
        piece = plaintext[i * SEGMENT:(i + 1) * SEGMENT]
        nonce = nonce_prefix + i.to_bytes(4, "big") + (b"\x01" if i == count - 1 else b"\x00")
        out += aead.encrypt(nonce, piece, ad)  # ciphertext ‖ tag
    return out


def stored_size_sealed(size: int) -> int:
    return 24 + size + 16 * max(1, -(-size // SEGMENT))


# §4 Names ---------------------------------------------------------------------------------

def opaque_key(identifier: str) -> str:
    return f"objects/{identifier[0:2]}/{identifier[2:4]}/{identifier}"


def chunk_id(plaintext: bytes, sealed: bool) -> str:
    if sealed:
        return hmac.new(IDENTIFIER_KEY, plaintext, hashlib.sha256).hexdigest()
    return hashlib.sha256(plaintext).hexdigest()


def sealed_file_key(release_id: str, path: str) -> str:
    message = b"file\x00" + release_id.encode() + b"\x00" + path.encode()
    return opaque_key(hmac.new(IDENTIFIER_KEY, message, hashlib.sha256).hexdigest())


WHITESPACE = {0x09, 0x20, 0xA0, 0x1680, *range(0x2000, 0x200C), 0x202F, 0x205F, 0x3000}


def is_control(ch: str) -> bool:
    return ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F


def trim(text: str) -> str:
    start, end = 0, len(text)
    while start < end and ord(text[start]) in WHITESPACE:
        start += 1
    while end > start and ord(text[end - 1]) in WHITESPACE:
        end -= 1
    return text[start:end]


def graphemes(text: str) -> list:
    return regex.findall(r"\X", text)


def sanitise(text: str, fallback: str) -> str:
    # 1. `/` and `\` become `-`; control characters are dropped.
    text = "".join("-" if ch in "/\\" else ch for ch in text if not is_control(ch))
    # 2–3. White space, then leading and trailing dots (whole characters that are exactly "."),
    # again and again until neither is at either end.
    def trimmed(text: str) -> str:
        while True:
            clusters = graphemes(trim(text))
            while clusters and clusters[0] == ".":
                clusters = graphemes("".join(clusters[1:]))
            while clusters and clusters[-1] == ".":
                clusters = graphemes("".join(clusters[:-1]))
            after = "".join(clusters)
            if after == text:
                return text
            text = after
    # 4. At most 120 characters, then steps 2–3 again.
    clusters = graphemes(trimmed(text))[:120]
    while len("".join(clusters).encode("utf-8")) > 200:
        clusters = clusters[:-1]
    text = trimmed("".join(clusters))
    # 5. Empty → fallback.
    return text or fallback


def readable_file_key(release: dict, path: str) -> str:
    artist = sanitise(release["artist"], "Unknown Artist")
    title = sanitise(release["title"], "Untitled")
    if release.get("year") is not None:
        title += f" ({release['year']})"
    return f"releases/{artist}/{title} [{release['id'][:8]}]/{path}"


# JSON as the code writes it ---------------------------------------------------------------

def compact_json(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def pretty_json(value) -> bytes:
    text = json.dumps(value, sort_keys=True, indent=2, separators=(",", " : "), ensure_ascii=False)
    return text.encode("utf-8") + b"\n"


def write(name: str, data: bytes) -> None:
    with open(os.path.join(HERE, name), "wb") as handle:
        handle.write(data)


def write_json(name: str, value) -> None:
    write(name, json.dumps(value, indent=2, ensure_ascii=False).encode("utf-8") + b"\n")


# (a) A sealed object of several segments ---------------------------------------------------

def sealed_segments() -> None:
    key = "objects/te/st/segments"
    plaintext = bytes(i % 251 for i in range(150_000))
    sealed = seal(plaintext, key)
    assert len(sealed) == stored_size_sealed(len(plaintext)) == 150_072
    segments = []
    offset = 24
    count = 3
    for i in range(count):
        length = min(SEGMENT, len(plaintext) - i * SEGMENT) + TAG
        body = sealed[offset:offset + length]
        segments.append({
            "index": i,
            "nonce": (NONCE_PREFIX + i.to_bytes(4, "big") + (b"\x01" if i == count - 1 else b"\x00")).hex(),
            "storedOffset": offset,
            "storedLength": length,
            "ciphertextStart": body[:16].hex(),
            "tag": body[-16:].hex(),
        })
        offset += length
    write_json("sealed-segments.json", {
        "about": "docs/storage-format.md §7 (a): 150 000 bytes sealed into three segments",
        "dataKey": DATA_KEY.hex(),
        "noncePrefix": NONCE_PREFIX.hex(),
        "objectKey": key,
        "plaintextRule": "byte i = i mod 251",
        "plaintextSize": len(plaintext),
        "plaintextSHA256": hashlib.sha256(plaintext).hexdigest(),
        "header": sealed[:24].hex(),
        "storedSize": len(sealed),
        "storedSHA256": hashlib.sha256(sealed).hexdigest(),
        "segments": segments,
        "ranges": [
            {"plaintext": [0, 1], "segments": [0, 1], "stored": [24, 65_576]},
            {"plaintext": [65_530, 65_546], "segments": [0, 2], "stored": [24, 131_128]},
            {"plaintext": [140_000, 150_000], "segments": [2, 3], "stored": [131_128, 150_072]},
        ],
        # `error`: what opening the object gives (Crate's codec, §3.5). `afterSizeCheck`: what a
        # reader that first compares the object's size with the recorded one reports (§3.5).
        "damage": [
            {"what": "flip byte 100 000 (in segment 1)", "flip": 100_000, "error": "authenticationFailed",
             "segment": 1},
            {"what": "cut after segment 1, size unknown", "cutTo": 131_128, "error": "truncated"},
            {"what": "cut after segment 1, recorded size 150 000", "cutTo": 131_128, "recordedSize": 150_000,
             "error": "truncated", "afterSizeCheck": "truncated"},
            {"what": "cut inside segment 2, recorded size 150 000", "cutTo": 140_000, "recordedSize": 150_000,
             "error": "authenticationFailed", "segment": 2, "afterSizeCheck": "truncated"},
            {"what": "one byte appended, recorded size 150 000", "append": 1, "recordedSize": 150_000,
             "error": "authenticationFailed", "segment": 2, "afterSizeCheck": "integrity"},
            {"what": "cut inside the header", "cutTo": 20, "error": "truncated"},
            {"what": "segments 0 and 1 swapped", "swapSegments": [0, 1], "error": "authenticationFailed",
             "segment": 0},
            {"what": "same bytes under another name", "renameTo": "objects/te/st/other",
             "error": "authenticationFailed", "segment": 0},
            {"what": "header version byte 2", "setByte": [8, 2], "error": "unsupportedFormatVersion"},
            {"what": "key id changed", "setByte": [9, 0], "error": "wrongKey"},
            {"what": "magic changed", "setByte": [0, 0x63], "error": "notACrateObject"},
        ],
    })


# (b) A chunk mapping, and (c) whole manifests ---------------------------------------------

RELEASE = {
    "id": "0123456789abcdef0123456789abcdef",
    "artist": "Nina Simone",
    "title": "Pastel Blues",
    "year": 1965,
    "extra": {"catalogNumber": "PHS 600-187", "label": "Philips"},
}
CREATED = "2027-01-15T08:00:00Z"
CHUNK_SIZE = 16
FILES = [  # already sorted by the UTF-8 bytes of their paths
    ("01 Intro.txt", b"Crate intro lineABCD"),
    ("02 Silence.txt", b""),
    ("CD2/01 Outro.txt", b"outro bytes middle of outro!ABCDoutro bytes \n"),
]


def layout_chunked(sealed: bool):
    stream = b"".join(content for _, content in FILES)
    chunks = []
    for ordinal in range(-(-len(stream) // CHUNK_SIZE)):
        plaintext = stream[ordinal * CHUNK_SIZE:(ordinal + 1) * CHUNK_SIZE]
        identifier = chunk_id(plaintext, sealed)
        chunks.append({
            "id": identifier, "objectKey": opaque_key(identifier), "ordinal": ordinal,
            "plaintextSize": len(plaintext),
            "storedSize": stored_size_sealed(len(plaintext)) if sealed else len(plaintext),
        })
    mapping, files, start = [], [], 0
    for index, (path, content) in enumerate(FILES):
        files.append({"index": index, "path": path, "sha256": hashlib.sha256(content).hexdigest(),
                      "size": len(content)})
        position, piece = start, 0
        while position < start + len(content):
            offset = position % CHUNK_SIZE
            length = min(CHUNK_SIZE - offset, start + len(content) - position)
            mapping.append({"byteLength": length, "byteOffset": offset,
                            "chunkID": chunks[position // CHUNK_SIZE]["id"], "chunkIndex": piece,
                            "fileIndex": index})
            position += length
            piece += 1
        start += len(content)
    return stream, chunks, mapping, files


def manifest(sealed: bool, chunked: bool) -> dict:
    value = {"created": CREATED, "encrypted": sealed, "formatVersion": 1, "release": RELEASE,
             "chunks": [], "mapping": []}
    if chunked:
        _, chunks, mapping, files = layout_chunked(sealed)
        value.update(chunkSize=CHUNK_SIZE, chunks=chunks, mapping=mapping, files=files)
    else:
        files = []
        for index, (path, content) in enumerate(FILES):
            key = sealed_file_key(RELEASE["id"], path) if sealed else readable_file_key(RELEASE, path)
            files.append({"index": index, "path": path, "sha256": hashlib.sha256(content).hexdigest(),
                          "size": len(content), "objectKey": key,
                          "storedSize": stored_size_sealed(len(content)) if sealed else len(content)})
        value["files"] = files
    return value


def read_pieces(mapping, file_index, lower, upper):
    rows = sorted((row for row in mapping if row["fileIndex"] == file_index), key=lambda row: row["chunkIndex"])
    result, f = [], 0
    for row in rows:
        a, b = max(lower, f), min(upper, f + row["byteLength"])
        if a < b:
            result.append({"chunkID": row["chunkID"], "chunkIndex": row["chunkIndex"],
                           "rangeInChunk": [row["byteOffset"] + a - f, row["byteOffset"] + b - f]})
        f += row["byteLength"]
    return result


def chunk_mapping() -> None:
    stream, plain_chunks, mapping, files = layout_chunked(False)
    _, sealed_chunks, sealed_mapping, _ = layout_chunked(True)
    reads = []
    for file_index, lower, upper in [(0, 0, 20), (0, 14, 18), (2, 0, 45), (2, 10, 30), (2, 40, 45), (2, 44, 45)]:
        content = FILES[file_index][1]
        reads.append({"fileIndex": file_index, "range": [lower, upper],
                      "pieces": read_pieces(mapping, file_index, lower, upper),
                      "bytes": content[lower:upper].hex()})
    write_json("chunk-mapping.json", {
        "about": "docs/storage-format.md §7 (b): three files, one empty, cut into 16-byte chunks",
        "chunkSize": CHUNK_SIZE,
        "files": [dict(f, content=FILES[f["index"]][1].hex()) for f in files],
        "stream": stream.hex(),
        "chunks": [{"ordinal": c["ordinal"], "plaintext": stream[c["ordinal"] * 16:(c["ordinal"] + 1) * 16].hex(),
                    "plainID": c["id"], "sealedID": s["id"]} for c, s in zip(plain_chunks, sealed_chunks)],
        "mapping": mapping,
        "sealedMapping": sealed_mapping,
        "reads": reads,
    })


def manifests() -> None:
    manifest_key = "manifests/" + RELEASE["id"]
    for name, sealed, chunked in [("plain-chunked", False, True), ("sealed-chunked", True, True),
                                  ("plain-whole", False, False), ("sealed-whole", True, False)]:
        data = compact_json(manifest(sealed, chunked))
        write(f"manifest-{name}.json", data)
        if sealed:
            write(f"manifest-{name}.sealed.hex", seal(data, manifest_key).hex().encode() + b"\n")


# Profile descriptors ----------------------------------------------------------------------

def descriptors() -> None:
    salt = bytes(range(16))
    kek = hashlib.scrypt(b"correct horse battery staple", salt=salt, n=1024, r=8, p=1, dklen=32)
    nonce = bytes(range(0xB0, 0xBC))
    wrapped = nonce + AESGCM(kek).encrypt(nonce, DATA_KEY, b"crate/v1/wrapped-key")
    write("profile-sealed-chunked.json", pretty_json({
        "chunkSize": 4_194_304, "chunked": True, "created": CREATED, "encrypted": True, "formatVersion": 1,
        "wrappedKey": {"kdf": "scrypt", "keyID": KEY_ID.hex(),
                       "scrypt": {"n": 1024, "p": 1, "r": 8, "salt": base64.b64encode(salt).decode()},
                       "sealed": base64.b64encode(wrapped).decode()},
    }))
    write("profile-plain-whole.json", pretty_json({
        "chunked": False, "created": CREATED, "encrypted": False, "formatVersion": 1}))


# (d) Readable names of plain whole-file profiles -------------------------------------------

NAME_CASES = [
    ("slash and backslash", "AC/DC", "Back in Black", 1980, "01 Hells Bells.flac"),
    ("backslash", "Earth\\Wind", "Fire", 1975, "a.flac"),
    ("controls are dropped, not replaced", "Tab\tSeparated", "New\nLine\u007f\u0085End", 2001, "a.flac"),
    ("unknown year", "Nico", "Chelsea Girl", None, "01 The Fairest of the Seasons.flac"),
    ("year 0 is a year", "Anonymous", "Chants", 0, "a.flac"),
    ("negative year", "Homer", "Iliad", -750, "a.flac"),
    ("empty artist and title", "   ", "...", None, "a.flac"),
    ("only controls", "\u0000\u0001", "\u001b[31m", 1999, "a.flac"),
    ("dots then spaces", " ..Hidden. . .", "... Dots ...", 2010, "a.flac"),
    ("dots and spaces until neither is left", ". . x", ".x.", None, "a.flac"),
    ("only dots and spaces: the fallback, never . or ..", ". . .", " .. . ..", 1999, "a.flac"),
    ("whitespace set", "\u3000Ideographic\u00a0", "\u200bZero width\u2028", 2020, "a.flac"),
    ("inner whitespace kept", "Sigur\u00a0R\u00f3s", "( )", 1999, "a.flac"),
    ("long title", "A", "x" * 130, 1999, "a.flac"),
    ("long title in three-byte characters: at most 200 bytes", "東京", "東" * 130, 1999, "a.flac"),
    ("long title, space at the cut", "A", "x" * 119 + " " + "y" * 10, 1999, "a.flac"),
    ("long title, dot at the cut", "A", "x" * 119 + "." + "y" * 10, None, "a.flac"),
    ("characters are grapheme clusters", "e\u0301" * 60 + "x" * 65,
     "\U0001F468\u200d\U0001F469\u200d\U0001F467" * 3 + "y" * 118, None, "a.flac"),
    ("dot with a combining mark stays", ".\u0301Accent", "\U0001F1EB\U0001F1F7 Flags", 1968, "a.flac"),
    ("path as given, subfolders, NFD", "Bj\u00f6rk", "Post", 1995, "CD 2/01 Army of Me (Bjo\u0308rk).flac"),
    ("short id", "A", "T", None, "a.flac"),
]


def names() -> None:
    cases = []
    for what, artist, title, year, path in NAME_CASES:
        release_id = "r1" if what == "short id" else "3f2a9c10d4e5f60718293a4b5c6d7e8f"
        release = {"id": release_id, "artist": artist, "title": title, "year": year}
        cases.append({"what": what, "id": release_id, "artist": artist, "title": title, "year": year,
                      "path": path, "key": readable_file_key(release, path)})
    write_json("plain-names.json", {
        "about": "docs/storage-format.md §7 (d): readable names of plain whole-file profiles (§4.1)",
        "cases": cases,
    })


# Recovery codes -----------------------------------------------------------------------------

def recovery_codes() -> None:
    code = "-".join(DATA_KEY.hex()[i:i + 4] for i in range(0, 64, 4))
    write_json("recovery-codes.json", {
        "about": "docs/storage-format.md §2: the recovery code of data key 00 01 … 1f, and what is accepted",
        "dataKey": DATA_KEY.hex(),
        "keyID": KEY_ID.hex(),
        "code": code,
        "accepted": [code, code.upper(), DATA_KEY.hex(), code.replace("-", " "), " " + code + " ",
                     "0-0-0-1-" + DATA_KEY.hex()[4:]],
        "refused": [code + "\n", code + "00", code[:-1], code.replace("-", "_"), "\uff10" + code[1:],
                    code.replace("0001", "0x01")],
    })


if __name__ == "__main__":
    print("key id", KEY_ID.hex())
    sealed_segments()
    chunk_mapping()
    manifests()
    descriptors()
    names()
    recovery_codes()
