"""Shared by the Python peers of make bench (bench/peer-*.py): reading
records with xml.etree.iterparse, the labels of the codes, Vietnamese name
order, dates.  Plain Python 3 standard library, as a user would write it.
"""
import unicodedata
import xml.etree.ElementTree as ET

LABELS = {
    "gender": {"nam": "Nam", "nu": "Nữ"},
    "category": {"can-bo": "Cán bộ", "cong-chuc": "Công chức", "vien-chuc": "Viên chức"},
    "education": {"tien-si": "Tiến sĩ", "thac-si": "Thạc sĩ", "dai-hoc": "Đại học",
                  "cao-dang": "Cao đẳng", "trung-cap": "Trung cấp", "so-cap": "Sơ cấp",
                  "chua-dao-tao": "Chưa qua đào tạo"},
    "political-theory": {"cu-nhan": "Cử nhân", "cao-cap": "Cao cấp", "trung-cap": "Trung cấp",
                         "so-cap": "Sơ cấp", "chua-dao-tao": "Chưa qua đào tạo"},
    "state-management": {"chuyen-vien-cao-cap": "Chuyên viên cao cấp",
                         "chuyen-vien-chinh": "Chuyên viên chính", "chuyen-vien": "Chuyên viên",
                         "can-su": "Cán sự", "chua-dao-tao": "Chưa qua bồi dưỡng"},
    "grade": {"xuat-sac": "Xuất sắc", "gioi": "Giỏi", "kha": "Khá",
              "trung-binh-kha": "Trung bình khá", "trung-binh": "Trung bình"},
}

# Vietnamese order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y,
# tones none, huyền, hỏi, ngã, sắc, nặng (spec: records.md)
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_MODS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}  # breve, circumflex, horn


def _word_key(word, cache={}):
    k = cache.get(word)
    if k is None:
        letters, tones = [], []
        for ch in unicodedata.normalize("NFD", word.lower()):
            if ch in _TONES:
                if tones:
                    tones[-1] = _TONES[ch]
            elif ch in _MODS:
                if letters:
                    letters[-1] += _MODS[ch]
            else:
                letters.append(4 * ord(ch) if ch != "đ" else 4 * ord("d") + 1)
                tones.append(0)
        k = cache[word] = (tuple(letters), tuple(tones))
    return k


def name_key(name, cid):
    """Sort key of a full name: the given name, then the rest, then the id."""
    words = name.split()
    given = words[-1] if words else ""
    rest = " ".join(words[:-1])
    g, r = _word_key(given), _word_key(rest)
    return (g[0], g[1], r[0], r[1], cid)


def nfc(s):
    return unicodedata.normalize("NFC", s) if s and not s.isascii() else s


def dmy_words(iso):
    """2023-05-19 -> 'ngày 19 tháng 5 năm 2023' (day < 10, months 1, 2: zero)."""
    y, m, d = int(iso[0:4]), int(iso[5:7]), int(iso[8:10])
    return "ngày %02d tháng %s năm %d" % (d, "%02d" % m if m < 3 else str(m), y)


def dmy(iso):
    if len(iso) == 4:
        return iso
    return "%s/%s/%s" % (iso[8:10], iso[5:7], iso[0:4])


def iterrecords(path):
    """Yields ('root', attrs), ('unit', attrs), ('cadre', dict), ('course', dict)
    streaming with iterparse, clearing what was read."""
    it = ET.iterparse(path, events=("start", "end"))
    root = None
    for ev, el in it:
        if ev == "start":
            if root is None:
                root = el
                yield "root", dict(el.attrib)
            continue
        tag = el.tag
        if tag == "unit":
            yield "unit", dict(el.attrib)
            el.clear()
        elif tag == "cadre":
            c = dict(el.attrib)
            for ch in el:
                if ch.tag == "party-member":
                    c["party-member"] = True
                else:
                    c[ch.tag] = ch.text or ""
            yield "cadre", c
            el.clear()
            root.clear()
        elif tag == "course":
            c = dict(el.attrib)
            parts = []
            for ch in el:
                if ch.tag == "participant":
                    parts.append(dict(ch.attrib))
                elif ch.tag == "signer":
                    c["signer"] = ch.text or ""
                    c["signer-title"] = ch.get("title")
                elif ch.tag == "organizer":
                    c["organizer"] = ch.text or ""
                    c["governing-body"] = ch.get("governing-body", "")
                else:
                    c[ch.tag] = ch.text or ""
            c["participants"] = parts
            yield "course", c
            el.clear()
            root.clear()
