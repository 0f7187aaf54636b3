#!/usr/bin/python3
"""Check the sample records independently of the C tools.

    CADRE_TOP=. /usr/bin/python3 tests/py/test_samples.py

Prints "ok NAME" or "FAIL NAME (why)" per check and exits 1 when one
failed.  It reads the samples with xml.etree (standard library), normalises
text to NFC as the tools do, and recounts:

- the figures of the district article that samples/dinh-lap must reproduce
  (../shared/notes/domain.md), each with the semantics of docs/records.md;
- the rules of the format that a schema cannot see (references, ids and
  certificate numbers unique across files, grade only with completed,
  start <= end) and the realism the sample promises (qualifications agree
  with completed courses, every diacritic, NFD names, all age bands...);
- that samples/gen_district.py re-creates the committed files byte for byte;
- that docs/records.xsd accepts every sample and rejects broken documents;
- when cadre-check is built, that it accepts the samples too.

It shares no code with the generator on purpose: a mistake in one is not
repeated in the other.
"""

import datetime
import os
import subprocess
import sys
import tempfile
import unicodedata
import xml.etree.ElementTree as ET

from verdicts import Verdicts

TOP = os.environ.get("CADRE_TOP") or \
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
        __file__))))
SAMPLES = os.path.join(TOP, "samples")
DISTRICT = [os.path.join(SAMPLES, "dinh-lap", f)
            for f in ("cadres.xml", "courses.xml")]
SMALL = os.path.join(SAMPLES, "small.xml")
XSD = os.path.join(TOP, "docs", "records.xsd")

VERDICTS = Verdicts("samples")
check = VERDICTS.report


def expect(name, got, want):
    check(name, got == want, f"got {got}, want {want}")


def between(name, got, lo, hi):
    check(name, lo <= got <= hi, f"got {got}, want {lo} to {hi}")


# ------------------------------------------------------------- reading ---

def nfc(s):
    return unicodedata.normalize("NFC", s) if s is not None else None


class Records:
    """The merged content of several files, text in NFC."""

    def __init__(self, paths):
        self.root = {}      # root attribute -> value (first file's)
        self.root_clash = []
        self.units, self.cadres, self.courses = {}, {}, {}
        self.dup_ids = []
        self.raw_names = []  # full names as written, before NFC
        for path in paths:
            root = ET.parse(path).getroot()
            for k, v in root.attrib.items():
                if k in self.root and self.root[k] != nfc(v):
                    self.root_clash.append(k)
                self.root.setdefault(k, nfc(v))
            for kind, table in (("units/unit", self.units),
                                ("cadres/cadre", self.cadres),
                                ("courses/course", self.courses)):
                for el in root.findall(kind):
                    rec = {k: nfc(v) for k, v in el.attrib.items()}
                    for child in el:
                        if child.tag == "participant":
                            rec.setdefault("participants", []).append(
                                {k: nfc(v) for k, v in child.attrib.items()})
                        else:
                            rec[child.tag] = nfc(child.text or "")
                            for k, v in child.attrib.items():
                                rec[f"{child.tag}@{k}"] = nfc(v)
                    rec.setdefault("participants", [])
                    if child_text(el, "full-name") is not None:
                        self.raw_names.append(child_text(el, "full-name"))
                    if rec["id"] in table:
                        self.dup_ids.append(rec["id"])
                    table[rec["id"]] = rec


def child_text(el, tag):
    c = el.find(tag)
    return c.text if c is not None else None


def day(s):
    return datetime.date.fromisoformat(s)


# The code lists, highest first: "from X upwards" is X or before it.
EDU = ["tien-si", "thac-si", "dai-hoc", "cao-dang", "trung-cap", "so-cap",
       "chua-dao-tao"]
LLCT = ["cu-nhan", "cao-cap", "trung-cap", "so-cap", "chua-dao-tao"]
QLNN = ["chuyen-vien-cao-cap", "chuyen-vien-chinh", "chuyen-vien", "can-su",
        "chua-dao-tao"]


def upward(value, floor, order):
    return order.index(value) <= order.index(floor)


def runs_in(course, year):
    return day(course["start"]) <= datetime.date(year, 12, 31) and \
        day(course["end"]) >= datetime.date(year, 1, 1)


def completions(recs, ctype, year):
    return sum(p["status"] == "completed"
               for c in recs.courses.values()
               if c["type"] == ctype and day(c["end"]).year == year
               for p in c["participants"])


def age_on(cadre, on):
    b = cadre["birth-date"]
    if len(b) == 4:
        return on.year - int(b)
    b = day(b)
    return on.year - b.year - ((on.month, on.day) < (b.month, b.day))


# ------------------------------------------------------------- figures ---

def check_figures(r):
    ccvc = [c for c in r.cadres.values() if c["category"] != "can-bo"]
    expect("ccvc-1188", len(ccvc), 1188)
    between("can-bo-besides", len(r.cadres) - len(ccvc), 150, 250)
    expect("ccvc-education-cao-dang-up-796",
           sum(upward(c["education"], "cao-dang", EDU) for c in ccvc), 796)
    expect("ccvc-political-theory-trung-cap-up-199",
           sum(upward(c["political-theory"], "trung-cap", LLCT)
               for c in ccvc), 199)

    courses = list(r.courses.values())
    tc = [c for c in courses if c["type"] == "trung-cap-llct-hc" and
          c["start"][:4] == "2018" and c["end"][:4] == "2019"]
    expect("trung-cap-2018-2019-classes", len(tc), 1)
    expect("trung-cap-2018-2019-participants-69",
           sum(len(c["participants"]) for c in tc), 69)
    # However a report sums it, 2018 shows 69 and 26: no other class of
    # either kind runs in 2018.
    expect("trung-cap-running-2018-participants-69",
           sum(len(c["participants"]) for c in courses
               if c["type"] == "trung-cap-llct-hc" and runs_in(c, 2018)), 69)
    sc = [c for c in courses if c["type"] == "so-cap-llct" and
          runs_in(c, 2018)]
    expect("so-cap-2018-classes", len(sc), 1)
    expect("so-cap-2018-participants-26",
           sum(len(c["participants"]) for c in sc), 26)

    expect("trung-cap-completed-2017-68",
           completions(r, "trung-cap-llct-hc", 2017), 68)
    expect("so-cap-completed-2017-41", completions(r, "so-cap-llct", 2017),
           41)

    nv = [c for c in courses if c["type"] == "nghiep-vu" and
          runs_in(c, 2018)]
    between("nghiep-vu-2018-courses", len(nv), 15, 20)
    between("nghiep-vu-2018-attendances",
            sum(len(c["participants"]) for c in nv), 800, 900)

    tt = [u for u in r.units.values()
          if u["name"] == "Thị trấn Nông trường Thái Bình"]
    expect("ttnttb-unit", [u["level"] for u in tt], ["xa"])
    people = [c for c in r.cadres.values()
              if tt and c["unit"] == tt[0]["id"]]
    expect("ttnttb-cadres-18", len(people), 18)
    expect("ttnttb-trung-cap-9",
           sum(c["political-theory"] == "trung-cap" for c in people), 9)
    expect("ttnttb-so-cap-4",
           sum(c["political-theory"] == "so-cap" for c in people), 4)
    # No one there above trung cấp: "from trung cấp upward" is 9 as well.
    expect("ttnttb-trung-cap-up-9",
           sum(upward(c["political-theory"], "trung-cap", LLCT)
               for c in people), 9)

    # "Sent since 2017": cadres in courses starting in 2017 or later; the
    # older courses of the same kinds ended before 2017, so counting by
    # the end instead gives the same.
    def sent(pred, by):
        return len({p["cadre"] for c in courses if pred(c) and
                    day(c[by]).year >= 2017 for p in c["participants"]})

    def cao_cap(c):
        return c["type"] == "cao-cap-llct"

    def hvt(c):
        return c["type"] == "trung-cap-llct-hc" and \
            c.get("mode") == "tap-trung" and \
            c["organizer"] == "Trường Chính trị Hoàng Văn Thụ"
    for by in ("start", "end"):
        expect(f"cao-cap-sent-since-2017-by-{by}-4", sent(cao_cap, by), 4)
        expect(f"hvt-tap-trung-sent-since-2017-by-{by}-12", sent(hvt, by),
               12)
    return {
        "ccvc": len(ccvc), "can_bo": len(r.cadres) - len(ccvc),
        "edu_cao_dang_up": sum(upward(c["education"], "cao-dang", EDU)
                               for c in ccvc),
        "llct_trung_cap_up": sum(upward(c["political-theory"], "trung-cap",
                                        LLCT) for c in ccvc),
        "tc_2018_2019": sum(len(c["participants"]) for c in tc),
        "sc_2018": sum(len(c["participants"]) for c in sc),
        "tc_completed_2017": completions(r, "trung-cap-llct-hc", 2017),
        "sc_completed_2017": completions(r, "so-cap-llct", 2017),
        "nv_2018": f"{len(nv)} courses, "
                   f"{sum(len(c['participants']) for c in nv)} attendances",
        "ttnttb": "{} cadres, {} trung-cap, {} so-cap".format(
            len(people),
            sum(c["political-theory"] == "trung-cap" for c in people),
            sum(c["political-theory"] == "so-cap" for c in people)),
        "cao_cap_since_2017": sent(cao_cap, "start"),
        "hvt_tap_trung_since_2017": sent(hvt, "start"),
    }


# ----------------------------------------------- rules the XSD cannot see ---

def check_rules(prefix, r):
    expect(f"{prefix}-root-attributes-agree", r.root_clash, [])
    expect(f"{prefix}-ids-unique-across-files", r.dup_ids, [])
    bad = [u["id"] for u in r.units.values()
           if u.get("parent") and u["parent"] not in r.units]
    bad += [c["id"] for c in r.cadres.values() if c["unit"] not in r.units]
    bad += [f'{c["id"]}/{p["cadre"]}' for c in r.courses.values()
            for p in c["participants"] if p["cadre"] not in r.cadres]
    expect(f"{prefix}-references-resolve", bad[:5], [])
    certs = [p["certificate-no"] for c in r.courses.values()
             for p in c["participants"] if "certificate-no" in p]
    expect(f"{prefix}-certificate-numbers-unique", len(certs),
           len(set(certs)))
    expect(f"{prefix}-grade-only-with-completed",
           [p["cadre"] for c in r.courses.values() for p in c["participants"]
            if "grade" in p and p["status"] != "completed"], [])
    bad = []
    for c in r.courses.values():
        try:
            if day(c["start"]) > day(c["end"]):
                bad.append(c["id"])
            for p in c["participants"]:
                if "issued" in p:
                    day(p["issued"])
        except ValueError as e:
            bad.append(f'{c["id"]}: {e}')
    for c in r.cadres.values():
        try:
            if len(c["birth-date"]) != 4:
                day(c["birth-date"])
            if "party-member@since" in c:
                day(c["party-member@since"])
        except ValueError as e:
            bad.append(f'{c["id"]}: {e}')
    expect(f"{prefix}-dates-real-and-in-order", bad[:5], [])


def check_realism(r):
    as_of = day(r.root["as-of"])
    cadres = r.cadres.values()
    courses = list(r.courses.values())
    # Whoever completed a political theory or QLNN course holds that level.
    floors = {"so-cap-llct": "so-cap", "trung-cap-llct-hc": "trung-cap",
              "cao-cap-llct": "cao-cap", "cu-nhan-llct": "cu-nhan"}
    ranks = {"chuyên viên chính": "chuyen-vien-chinh",
             "chuyên viên": "chuyen-vien", "cán sự": "can-su"}
    bad = []
    for c in courses:
        for p in c["participants"]:
            who = r.cadres[p["cadre"]]
            if p["status"] != "completed":
                continue
            if c["type"] in floors and not upward(
                    who["political-theory"], floors[c["type"]], LLCT):
                bad.append(f'{who["id"]} in {c["id"]}')
            if c["type"] == "qlnn":
                rank = next(v for k, v in ranks.items() if k in c["title"])
                if not upward(who.get("state-management", "chua-dao-tao"),
                              rank, QLNN):
                    bad.append(f'{who["id"]} in {c["id"]}')
    expect("qualifications-agree-with-courses", bad[:5], [])
    expect("trung-cap-holders-are-party-members",
           [c["id"] for c in cadres
            if upward(c["political-theory"], "trung-cap", LLCT)
            and "party-member" not in c][:5], [])

    expect("every-course-has-signer-with-title",
           [c["id"] for c in courses
            if not c.get("signer") or not c.get("signer@title")], [])
    tc = next(c for c in courses if c["type"] == "trung-cap-llct-hc" and
              c["start"][:4] == "2018")
    numbered = sum("certificate-no" in p for p in tc["participants"])
    between("trung-cap-2018-2019-left-to-cadre-cert", numbered, 0, 3)
    done = [p for c in courses if c is not tc for p in c["participants"]
            if p["status"] == "completed"]
    share = sum("certificate-no" in p for p in done) / len(done)
    between("most-completions-have-certificates", round(share, 2), 0.8, 1)
    expect("grades-come-with-scores",
           sum("grade" in p and "score" not in p for c in courses
               for p in c["participants"]), 0)
    statuses = {p["status"] for c in courses for p in c["participants"]}
    expect("every-status-used", sorted(statuses),
           ["completed", "enrolled", "failed", "withdrawn"])
    years = {day(c["end"]).year for c in courses for p in c["participants"]
             if p["status"] == "completed"}
    expect("completions-every-year-2014-2019", sorted(years),
           list(range(2014, 2020)))
    expect("every-course-type-used", sorted({c["type"] for c in courses}),
           sorted(["so-cap-llct", "trung-cap-llct-hc", "cao-cap-llct",
                   "cu-nhan-llct", "qlnn", "nghiep-vu", "khac"]))

    for field, order in (("education", EDU), ("political-theory", LLCT)):
        expect(f"every-{field}-code-used",
               sorted({c[field] for c in cadres}), sorted(order))
    expect("every-state-management-code-used",
           sorted({c.get("state-management", "chua-dao-tao")
                   for c in cadres}), sorted(QLNN))
    expect("both-genders-and-all-categories",
           sorted({(c["gender"], c["category"]) for c in cadres}),
           sorted((g, k) for g in ("nam", "nu")
                  for k in ("can-bo", "cong-chuc", "vien-chuc")))
    bands = {"<=30": 0, "31-40": 0, "41-50": 0, "51-60": 0, ">60": 0}
    for c in cadres:
        a = age_on(c, as_of)
        band = "<=30" if a <= 30 else "31-40" if a <= 40 else \
            "41-50" if a <= 50 else "51-60" if a <= 60 else ">60"
        bands[band] += 1
    check("every-age-band", all(bands.values()), str(bands))
    year_only = sum(len(c["birth-date"]) == 4 for c in cadres) / len(cadres)
    between("year-only-births-about-5-percent", round(year_only * 100), 3, 7)
    check("a-leap-day-birth",
          any(c["birth-date"].endswith("-02-29") for c in cadres))
    check("leaders-and-party-members",
          sum(c.get("leader") == "true" for c in cadres) > 100 and
          sum("party-member" in c for c in cadres) > 500)
    ethnic = {c.get("ethnicity") for c in cadres}
    check("ethnicities-of-lang-son",
          {"Tày", "Nùng", "Kinh", "Dao", "Sán Chỉ"} <= ethnic, str(ethnic))

    # Names: NFD on purpose in the file, every mark once normalised.
    nfd = [n for n in r.raw_names if nfc(n) != n]
    between("names-written-in-nfd", len(nfd), 3, 12)
    names = [c["full-name"] for c in cadres]
    # đ only ever starts a word, so it is looked for case-blind.
    letters = set("".join(names).lower())
    check("every-diacritic-letter", set("ăâđêôơư") <= letters,
          "missing " + "".join(sorted(set("ăâđêôơư") - letters)))
    marks = set(unicodedata.normalize("NFD", "".join(names)))
    tones = {"huyền": "\u0300", "hỏi": "\u0309", "ngã": "\u0303",
             "sắc": "\u0301", "nặng": "\u0323"}
    expect("every-tone", [t for t, m in tones.items() if m not in marks], [])
    capitals = {w[0] for n in names for w in n.split() if not w[0].isascii()}
    check("capitals-with-marks", set("ĐÂÔƠƯ") <= capitals and
          len(capitals) >= 8, "".join(sorted(capitals)))
    words = {len(n.split()) for n in names}
    check("names-of-two-three-four-words", {2, 3, 4} <= words, str(words))


# ------------------------------------------------------------ generator ---

def check_generator():
    with tempfile.TemporaryDirectory() as tmp:
        run = subprocess.run(
            ["/usr/bin/python3", os.path.join(SAMPLES, "gen_district.py"),
             "--out", tmp, "--quiet"], capture_output=True, text=True)
        check("generator-runs", run.returncode == 0, run.stderr.strip())
        for path in DISTRICT:
            new = os.path.join(tmp, os.path.basename(path))
            same = os.path.exists(new) and \
                open(new, "rb").read() == open(path, "rb").read()
            check(f"generator-recreates-{os.path.basename(path)}", same,
                  "re-run samples/gen_district.py and commit its output")


# ------------------------------------------------------------------ XSD ---

def xmllint(path):
    run = subprocess.run(["xmllint", "--noout", "--schema", XSD, path],
                         capture_output=True, text=True)
    return run.returncode, run.stderr


CADRE = ("<full-name>A</full-name><gender>nam</gender>"
         "<birth-date>{birth}</birth-date><category>can-bo</category>"
         "<education>dai-hoc</education>"
         "<political-theory>so-cap</political-theory>")
COURSE = ('<course id="K" type="khac" start="2018-01-01" end="2018-01-02">'
          "<title>t</title><organizer>o</organizer>{}</course>")

# Documents the schema must reject, each with one structural error.
BROKEN = {
    "root-not-records": '<record version="1"/>',
    "version-2": '<records version="2"/>',
    "version-missing": "<records/>",
    "unknown-element":
        '<records version="1"><units><team id="A"/></units></records>',
    "unknown-attribute": '<records version="1"><units><unit id="A" '
                         'name="a" level="xa" size="3"/></units></records>',
    "unit-name-missing":
        '<records version="1"><units><unit id="A" level="xa"/></units>'
        "</records>",
    "unit-level-outside-list":
        '<records version="1"><units><unit id="A" name="a" level="tinh"/>'
        "</units></records>",
    "id-with-space":
        '<records version="1"><units><unit id="A B" name="a" level="xa"/>'
        "</units></records>",
    "id-duplicate":
        '<records version="1"><units><unit id="A" name="a" level="xa"/>'
        '<unit id="A" name="b" level="xa"/></units></records>',
    "cadre-birth-date-missing":
        '<records version="1"><cadres><cadre id="c" unit="u">'
        + CADRE.replace("<birth-date>{birth}</birth-date>", "")
        + "</cadre></cadres></records>",
    "birth-date-day-month-year":
        '<records version="1"><cadres><cadre id="c" unit="u">'
        + CADRE.format(birth="14/05/1971") + "</cadre></cadres></records>",
    "birth-date-month-13":
        '<records version="1"><cadres><cadre id="c" unit="u">'
        + CADRE.format(birth="1971-13-01") + "</cadre></cadres></records>",
    "education-outside-list":
        '<records version="1"><cadres><cadre id="c" unit="u">'
        + CADRE.format(birth="1971").replace("dai-hoc", "dai_hoc")
        + "</cadre></cadres></records>",
    "leader-yes":
        '<records version="1"><cadres><cadre id="c" unit="u" leader="yes">'
        + CADRE.format(birth="1971") + "</cadre></cadres></records>",
    "course-title-missing":
        '<records version="1"><courses><course id="K" type="khac" '
        'start="2018-01-01" end="2018-01-02"><organizer>o</organizer>'
        "</course></courses></records>",
    "course-start-missing":
        '<records version="1"><courses>'
        + COURSE.format("").replace(' start="2018-01-01"', "")
        + "</courses></records>",
    "course-start-february-30":
        '<records version="1"><courses>'
        + COURSE.format("").replace("2018-01-01", "2018-02-30")
        + "</courses></records>",
    "february-29-in-1900":
        '<records version="1" as-of="1900-02-29"/>',
    "as-of-with-space":
        '<records version="1" as-of=" 2018-12-31"/>',
    "course-end-with-slashes":
        '<records version="1"><courses>'
        + COURSE.format("").replace("2018-01-02", "02/01/2018")
        + "</courses></records>",
    "status-outside-list":
        '<records version="1"><courses>'
        + COURSE.format('<participant cadre="x" status="passed"/>')
        + "</courses></records>",
    "score-with-comma":
        '<records version="1"><courses>'
        + COURSE.format('<participant cadre="x" status="completed" '
                        'score="7,4"/>') + "</courses></records>",
    "cadre-twice-in-course":
        '<records version="1"><courses>'
        + COURSE.format('<participant cadre="x" status="completed"/>'
                        '<participant cadre="x" status="failed"/>')
        + "</courses></records>",
    "full-name-blank":
        '<records version="1"><cadres><cadre id="c" unit="u">'
        + CADRE.format(birth="1971").replace(">A<", ">  <")
        + "</cadre></cadres></records>",
    "title-empty":
        '<records version="1"><courses>'
        + COURSE.format("").replace("<title>t</title>", "<title/>")
        + "</courses></records>",
    "certificate-no-empty":
        '<records version="1"><courses>'
        + COURSE.format('<participant cadre="x" status="completed" '
                        'certificate-no=""/>') + "</courses></records>",
    "control-character":
        '<records version="1" place="Đình&#x85;Lập"/>',
}


def check_schema(samples):
    check("xsd-is-well-formed", subprocess.run(
        ["xmllint", "--noout", XSD], capture_output=True).returncode == 0)
    for path in samples:
        rc, err = xmllint(path)
        check(f"xsd-accepts-{os.path.relpath(path, SAMPLES)}", rc == 0,
              err.strip()[:300])
    with tempfile.TemporaryDirectory() as tmp:
        good = os.path.join(tmp, "good.xml")
        with open(good, "w", encoding="utf-8") as f:
            f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                    '<records version="1"><courses>'
                    + COURSE.format('<participant cadre="x" '
                                    'status="completed" score="10"/>')
                    + '</courses><cadres><cadre id="c" unit="u">'
                    # codes in element text may carry white space
                    + CADRE.format(birth=" 1984-02-29 ").replace(
                        ">nam<", ">\n  nam\n<") + "</cadre></cadres>"
                    # sections in any order, even twice
                    '<units/><courses/></records>\n')
        rc, err = xmllint(good)
        check("xsd-accepts-minimal-document", rc == 0, err.strip()[:300])
        for name, text in BROKEN.items():
            path = os.path.join(tmp, f"{name}.xml")
            with open(path, "w", encoding="utf-8") as f:
                f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                        + text + "\n")
            rc, err = xmllint(path)
            # 3 is xmllint's "validation failed"; anything else would be a
            # broken test document, not a rejection by the schema.
            check(f"xsd-rejects-{name}", rc == 3,
                  f"xmllint exit {rc}: {err.strip()[:200]}")


# ------------------------------------------------------------ cadre-check ---

def check_with_cadre_check():
    """The lead's validator, when built, must agree that the samples are
    valid: the district as its two files together, small.xml alone."""
    tool = os.path.join(os.environ.get("CADRE_BIN") or
                        os.path.join(TOP, "build", "bin"), "cadre-check")
    if not os.access(tool, os.X_OK):
        return
    for name, files in (("dinh-lap", DISTRICT), ("small", [SMALL])):
        run = subprocess.run([tool] + files, capture_output=True, text=True)
        check(f"cadre-check-accepts-{name}", run.returncode == 0,
              f"exit {run.returncode}: {run.stderr.strip()[:300]}")


def main():
    district = Records(DISTRICT)
    figures = check_figures(district)
    check_rules("dinh-lap", district)
    check_realism(district)
    small = Records([SMALL])
    check_rules("small", small)
    check("small-is-small", 2 <= len(small.units) <= 3 and
          4 <= len(small.cadres) <= 8 and len(small.courses) == 1)
    check_generator()
    check_schema(DISTRICT + [SMALL])
    check_with_cadre_check()
    if "-v" in sys.argv[1:]:
        for k, v in figures.items():
            print(f"# {k}: {v}")
    return VERDICTS.status()


if __name__ == "__main__":
    sys.exit(main())
