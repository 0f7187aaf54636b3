#!/usr/bin/python3
"""Independent check of gen-records' output against the records format.

    bench/check-gen.py FILE.xml

Streams the file (xml.etree iterparse) and checks every rule of the spec
that the generator must honour: elements and attributes, codes, dates,
references, unique ids and certificate numbers, a cadre at most once per
course, grades only with "completed", scores 0-10, no control characters.
Then prints what the data covers: the share of NFD names and of year-only
birth dates, every code used, and which Vietnamese letters (base x tone,
both cases) appear in names.  Exit 0 when every rule holds (and, for a
file of 50,000 cadres or more, every code and every letter occurs).
"""
import datetime
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter

CODES = {
    "level": {"huyen", "xa"},
    "gender": {"nam", "nu"},
    "category": {"can-bo", "cong-chuc", "vien-chuc"},
    "education": {"tien-si", "thac-si", "dai-hoc", "cao-dang", "trung-cap", "so-cap", "chua-dao-tao"},
    "political-theory": {"cu-nhan", "cao-cap", "trung-cap", "so-cap", "chua-dao-tao"},
    "state-management": {"chuyen-vien-cao-cap", "chuyen-vien-chinh", "chuyen-vien", "can-su", "chua-dao-tao"},
    "type": {"so-cap-llct", "trung-cap-llct-hc", "cao-cap-llct", "cu-nhan-llct", "qlnn", "nghiep-vu", "khac"},
    "mode": {"tap-trung", "khong-tap-trung"},
    "status": {"enrolled", "completed", "failed", "withdrawn"},
    "grade": {"xuat-sac", "gioi", "kha", "trung-binh-kha", "trung-binh"},
    "leader": {"true", "false"},
}
ID = re.compile(r"[A-Za-z0-9._-]{1,64}\Z")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
SCORE = re.compile(r"\d+(\.\d+)?\Z")
CADRE_CHILDREN = ["full-name", "gender", "birth-date", "ethnicity", "position", "category",
                  "education", "political-theory", "state-management", "party-member"]
CADRE_REQUIRED = {"full-name", "gender", "birth-date", "category", "education", "political-theory"}

errors = 0
used = Counter()
all_letters = set()


def err(msg):
    global errors
    errors += 1
    if errors <= 50:
        print("error:", msg, file=sys.stderr)


def date(s, what):
    if not s or not DATE.match(s):
        err(f"{what}: not a date: {s!r}")
        return None
    try:
        return datetime.date(int(s[:4]), int(s[5:7]), int(s[8:]))
    except ValueError:
        err(f"{what}: impossible date {s}")
        return None


def text(s, what):
    if s is None or not s.strip():
        err(f"{what}: empty")
        return ""
    if any((ord(c) < 32 and c not in "\t\n") or ord(c) == 127 for c in s):
        err(f"{what}: control character")
    all_letters.update(unicodedata.normalize("NFC", s))
    return s


def code(kind, v, what):
    used[(kind, v)] += 1
    if v not in CODES[kind]:
        err(f"{what}: {kind} {v!r} outside its list")


def attrs(el, allowed, required, what):
    for a in el.attrib:
        if a not in allowed:
            err(f"{what}: unknown attribute {a}")
    for a in required:
        if a not in el.attrib:
            err(f"{what}: missing attribute {a}")


def main(path):
    units, unit_parent = set(), {}
    cadres = set()
    courses = set()
    certs = set()
    refs_unit = []
    n_names = n_nfd = n_year = n_part = 0
    letters = Counter()
    depth = 0
    root_seen = False
    for ev, el in ET.iterparse(path, events=("start", "end")):
        if ev == "start":
            depth += 1
            if depth == 1:
                root_seen = True
                if el.tag != "records" or el.get("version") != "1":
                    err("root is not <records version=\"1\">")
            continue
        depth -= 1
        tag = el.tag
        if tag == "unit":
            attrs(el, {"id", "name", "level", "parent"}, {"id", "name", "level"}, "unit")
            uid = el.get("id", "")
            if not ID.match(uid):
                err(f"unit id {uid!r}")
            if uid in units:
                err(f"duplicate unit {uid}")
            units.add(uid)
            text(el.get("name"), f"unit {uid} name")
            code("level", el.get("level"), f"unit {uid}")
            if el.get("parent"):
                unit_parent[uid] = el.get("parent")
            el.clear()
        elif tag == "cadre":
            attrs(el, {"id", "unit", "leader"}, {"id", "unit"}, "cadre")
            cid = el.get("id", "")
            if not ID.match(cid):
                err(f"cadre id {cid!r}")
            if cid in cadres:
                err(f"duplicate cadre {cid}")
            cadres.add(cid)
            refs_unit.append(el.get("unit"))
            if "leader" in el.attrib:
                code("leader", el.get("leader"), f"cadre {cid}")
            seen = {}
            for ch in el:
                if ch.tag not in CADRE_CHILDREN:
                    err(f"cadre {cid}: unknown element {ch.tag}")
                if ch.tag in seen:
                    err(f"cadre {cid}: {ch.tag} twice")
                seen[ch.tag] = ch
            for r in CADRE_REQUIRED - seen.keys():
                err(f"cadre {cid}: missing {r}")
            name = text(seen["full-name"].text if "full-name" in seen else None, f"cadre {cid} full-name")
            n_names += 1
            nfc = unicodedata.normalize("NFC", name)
            if nfc != name:
                n_nfd += 1
                if unicodedata.normalize("NFD", nfc) != name:
                    err(f"cadre {cid}: name neither NFC nor NFD: {name!r}")
            for c in nfc:
                if ord(c) > 127 or c in "aeiouyAEIOUY":
                    letters[c] += 1
            for k in ("gender", "category", "education", "political-theory", "state-management"):
                if k in seen:
                    code(k, (seen[k].text or "").strip(), f"cadre {cid}")
            b = (seen["birth-date"].text or "") if "birth-date" in seen else ""
            if re.fullmatch(r"\d{4}", b):
                n_year += 1
            else:
                date(b, f"cadre {cid} birth-date")
            for k in ("ethnicity", "position"):
                if k in seen:
                    text(seen[k].text, f"cadre {cid} {k}")
            if "party-member" in seen:
                pm = seen["party-member"]
                attrs(pm, {"since"}, set(), f"cadre {cid} party-member")
                if "since" in pm.attrib:
                    date(pm.get("since"), f"cadre {cid} party-member@since")
            el.clear()
        elif tag == "course":
            attrs(el, {"id", "type", "mode", "start", "end"}, {"id", "type", "start", "end"}, "course")
            kid = el.get("id", "")
            if not ID.match(kid):
                err(f"course id {kid!r}")
            if kid in courses:
                err(f"duplicate course {kid}")
            courses.add(kid)
            code("type", el.get("type"), f"course {kid}")
            if "mode" in el.attrib:
                code("mode", el.get("mode"), f"course {kid}")
            s, e = date(el.get("start"), f"course {kid} start"), date(el.get("end"), f"course {kid} end")
            if s and e and s > e:
                err(f"course {kid}: start after end")
            kids = Counter(ch.tag for ch in el)
            for ch in kids:
                if ch not in ("title", "organizer", "location", "signer", "participant"):
                    err(f"course {kid}: unknown element {ch}")
            for r in ("title", "organizer"):
                if kids[r] != 1:
                    err(f"course {kid}: {r} count {kids[r]}")
            in_course = set()
            for ch in el:
                if ch.tag in ("title", "organizer", "location", "signer"):
                    text(ch.text, f"course {kid} {ch.tag}")
                    if ch.tag == "signer":
                        attrs(ch, {"title"}, set(), f"course {kid} signer")
                    continue
                if ch.tag != "participant":
                    continue
                n_part += 1
                attrs(ch, {"cadre", "status", "grade", "score", "certificate-no", "issued"},
                      {"cadre", "status"}, f"course {kid} participant")
                c = ch.get("cadre")
                if c not in cadres:
                    err(f"course {kid}: participant {c} is no cadre (cadres come first here)")
                if c in in_course:
                    err(f"course {kid}: cadre {c} twice")
                in_course.add(c)
                st = ch.get("status")
                code("status", st, f"course {kid}")
                if "grade" in ch.attrib:
                    code("grade", ch.get("grade"), f"course {kid}")
                    if st != "completed":
                        err(f"course {kid}: grade without completed")
                if "score" in ch.attrib:
                    sc = ch.get("score")
                    used[("score", "present")] += 1
                    if not SCORE.match(sc) or not 0 <= float(sc) <= 10:
                        err(f"course {kid}: score {sc!r}")
                if "certificate-no" in ch.attrib:
                    no = text(ch.get("certificate-no"), f"course {kid} certificate-no")
                    if no in certs:
                        err(f"duplicate certificate-no {no}")
                    certs.add(no)
                if "issued" in ch.attrib:
                    date(ch.get("issued"), f"course {kid} issued")
            el.clear()
    if not root_seen:
        err("no root")
    for u in refs_unit:
        if u not in units:
            err(f"cadre unit {u} missing")
    for u, p in unit_parent.items():
        if p not in units:
            err(f"unit {u}: parent {p} missing")

    print(f"units {len(units)} ({sum(1 for _ in unit_parent)} with parent), cadres {len(cadres)}, "
          f"courses {len(courses)}, participants {n_part}, certificates {len(certs)}")
    print(f"names in NFD: {n_nfd} ({100 * n_nfd / max(n_names, 1):.1f} %), "
          f"year-only birth dates: {n_year} ({100 * n_year / max(n_names, 1):.1f} %)")
    # coverage is statistical: required only of a province-sized file
    cover = err if len(cadres) >= 50000 else (lambda m: print("note:", m))
    for kind in sorted(CODES):
        missing = CODES[kind] - {v for (k, v) in used if k == kind}
        if missing:
            cover(f"code list {kind}: never used: {sorted(missing)}")
    vowels = "aăâeêioôơuưy"
    tones = "\u0300\u0309\u0303\u0301\u0323"
    want = set()
    for v in vowels:
        for t in [""] + list(tones):
            ch = unicodedata.normalize("NFC", v + t)
            want |= {ch, ch.upper()}
    want |= {"đ", "Đ"}
    # a name is capitalised: a lower-case đ cannot occur in one
    missing = sorted(want - letters.keys() - {"đ"})
    print(f"Vietnamese letters in names: {len(want) - 1 - len(missing)} of {len(want) - 1} (all but đ)"
          + (f", missing: {' '.join(missing)}" if missing else ""))
    if missing:
        cover("not every Vietnamese letter appears in the names")
    missing = sorted(want - all_letters)
    if missing:
        cover(f"letters missing from the whole file: {' '.join(missing)}")
    print(f"{errors} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
