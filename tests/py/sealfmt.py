"""The formats of docs/verify.md written again in Python, from the document
alone, with python3-cryptography's Ed25519: key files, seals (the QR
code's signed payload) and revocation lists.  The tests use it as an
independent reader and writer: what cadrekit makes must read here, and
what this makes must read in cadrekit and in the verification page."""
import hashlib
import unicodedata

from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey, Ed25519PublicKey)
from cryptography.exceptions import InvalidSignature

B45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
GRADES = [None, "xuat-sac", "gioi", "kha", "trung-binh-kha", "trung-binh"]
ORDER = [("number", "text"), ("full_name", "text"), ("birth", "date"),
         ("course_title", "text"), ("start", "date"), ("end", "date"),
         ("grade", "grade"), ("issuer", "text"), ("issued", "date")]


def b45encode(data):
    out = []
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        out += [B45[n % 45], B45[n // 45 % 45], B45[n // 2025]]
    if len(data) % 2:
        out += [B45[data[-1] % 45], B45[data[-1] // 45]]
    return "".join(out)


def b45decode(text):
    if len(text) % 3 == 1:
        raise ValueError("lone character")
    out = bytearray()
    for i in range(0, len(text), 3):
        group = text[i:i + 3]
        n = sum(B45.index(c) * 45 ** k for k, c in enumerate(group))
        if len(group) == 3:
            if n > 0xFFFF:
                raise ValueError("group too big")
            out += bytes([n >> 8, n & 255])
        else:
            if n > 0xFF:
                raise ValueError("group too big")
            out.append(n)
    return bytes(out)


def key_id(public_bytes):
    return hashlib.sha256(public_bytes).digest()[:8]


def read_key_file(path):
    """{'id': hex, 'public': bytes, 'seed': bytes or None} of a key file."""
    lines = open(path, encoding="utf-8").read().split("\n")
    fields = dict(l.split(" ", 1) for l in lines[1:] if l and not l.startswith("#"))
    return {"kind": lines[0], "id": fields["id"],
            "public": bytes.fromhex(fields["public"]),
            "seed": bytes.fromhex(fields["seed"]) if "seed" in fields else None}


def public_of(seed):
    from cryptography.hazmat.primitives import serialization
    pk = Ed25519PrivateKey.from_private_bytes(seed).public_key()
    return pk.public_bytes(serialization.Encoding.Raw,
                           serialization.PublicFormat.Raw)


def date_bytes(d):
    """d: None, (year,), or (year, month, day)."""
    if not d:
        code = 0
    elif len(d) == 1:
        code = d[0] * 512
    else:
        code = d[0] * 512 + d[1] * 32 + d[2]
    return code.to_bytes(3, "big")


def date_of(b):
    code = int.from_bytes(b, "big")
    if code == 0:
        return None
    y, m, d = code // 512, code // 32 % 16, code % 32
    return (y,) if m == 0 and d == 0 else (y, m, d)


def seal_bytes(fields, seed):
    """The signed payload of `fields` (a dict with the names of ORDER)."""
    public = public_of(seed)
    body = bytearray([1]) + key_id(public)
    for name, kind in ORDER:
        v = fields.get(name)
        if kind == "text":
            b = (v or "").encode("utf-8")
            assert len(b) <= 255 and unicodedata.normalize("NFC", v or "") == (v or "")
            body += bytes([len(b)]) + b
        elif kind == "date":
            body += date_bytes(v)
        else:
            body.append(GRADES.index(v))
    sig = Ed25519PrivateKey.from_private_bytes(seed).sign(bytes(body))
    return bytes(body) + sig


def fragment(payload):
    """The URL fragment: Base45 with ' ' and '%' escaped."""
    return b45encode(payload).replace("%", "%25").replace(" ", "%20")


def unfragment(text):
    frag = text.split("#", 1)[1] if "#" in text else text
    out, i = "", 0
    while i < len(frag):
        if frag[i] == "%":
            out += chr(int(frag[i + 1:i + 3], 16))
            i += 3
        else:
            out += frag[i]
            i += 1
    return b45decode(out)


def read_seal(text, trusted):
    """(status, fields, key id hex) of a QR text; trusted: {id bytes: public
    bytes}.  status: valid, unknown-key, bad-signature."""
    data = unfragment(text)
    assert data[0] == 1, "version"
    kid = data[1:9]
    body, sig = data[:-64], data[-64:]
    at, fields = 9, {}
    for name, kind in ORDER:
        if kind == "text":
            n = body[at]
            fields[name] = body[at + 1:at + 1 + n].decode("utf-8")
            at += 1 + n
        elif kind == "date":
            fields[name] = date_of(body[at:at + 3])
            at += 3
        else:
            fields[name] = GRADES[body[at]]
            at += 1
    assert at == len(body), "trailing bytes"
    if kid not in trusted:
        return "unknown-key", fields, kid.hex()
    try:
        Ed25519PublicKey.from_public_bytes(trusted[kid]).verify(sig, body)
    except InvalidSignature:
        return "bad-signature", fields, kid.hex()
    return "valid", fields, kid.hex()


def revocation_list(entries, made, seed):
    """The text of a revocation list: entries of (number, date ISO or "",
    decision, reason), dated `made` (ISO), signed with `seed`."""
    text = "cadrekit revocations 1\ndate %s\n" % made
    for e in entries:
        text += "revoked\t%s\t%s\t%s\t%s\n" % e
    body = text.encode("utf-8")
    sig = Ed25519PrivateKey.from_private_bytes(seed).sign(body)
    return body + b"signature %s %s\n" % (key_id(public_of(seed)).hex().encode(),
                                          sig.hex().encode())


def read_revocation_list(data, trusted):
    """{number: (date, decision, reason)} of a signed list, or raise."""
    last = data.rstrip(b"\n").rsplit(b"\n", 1)[1]
    body = data[:len(data) - len(last) - 1]
    tag, kid, sig = last.decode().split(" ")
    assert tag == "signature"
    Ed25519PublicKey.from_public_bytes(trusted[bytes.fromhex(kid)]).verify(
        bytes.fromhex(sig), body)
    lines = body.decode("utf-8").split("\n")
    assert lines[0] == "cadrekit revocations 1" and lines[1].startswith("date ")
    out = {}
    for l in lines[2:]:
        if l:
            tag, number, date, decision, reason = l.split("\t")
            out[number] = (date, decision, reason)
    return out
