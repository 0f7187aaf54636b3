# cadrekit - one plain, non-recursive Makefile.
#
#   make            build libcadre.a and the tools into build/
#   make check      install what is missing, build, run every test
#   make demo       install what is missing, build, run every tool on samples/
#   make bench      province-scale benchmarks (bench/)
#   make install    PREFIX=/usr/local DESTDIR=
#   make SAN=1 ...  build with AddressSanitizer and UBSan (into build-san/)
#   V=1             show the commands

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
PYTHON  := /usr/bin/python3
VERSION := 0.1.0

PKGS    := libxml-2.0 xlsxwriter libutf8proc libqrencode fontconfig libsodium libcrypto \
           libzip freexl
# the certificate register (src/register/): SQLite
PKGS    += sqlite3
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -pipe
# The library sees its own internal headers (-Isrc: "util/grow.h"); the
# tools and the tests see the public ones only (-Iinclude).
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iinclude \
            -DCADRE_VERSION='"$(VERSION)"' -DCADRE_DATADIR='"$(PREFIX)/share/cadrekit"' \
            -DCADRE_LOCALEDIR='"$(PREFIX)/share/locale"' \
            $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lhpdf -lm

# The Debian package behind each pkg-config module, for the message when
# one is missing (mk/pkgcheck): a build never fails on a cryptic -I.
PKG_DEBIAN := libxml-2.0=libxml2-dev xlsxwriter=libxlsxwriter-dev \
              libutf8proc=libutf8proc-dev libqrencode=libqrencode-dev \
              fontconfig=libfontconfig-dev libpng=libpng-dev zlib=zlib1g-dev \
              libzip=libzip-dev freexl=libfreexl-dev sqlite3=libsqlite3-dev \
              libsodium=libsodium-dev libcrypto=libssl-dev openssl=libssl-dev \
              zbar=libzbar-dev icu-uc=libicu-dev icu-i18n=libicu-dev \
              poppler-glib=libpoppler-glib-dev cairo=libcairo2-dev libjpeg=libjpeg-dev

B := build
ifdef SAN
B := build-san
# gcc's "undefined" leaves out float-cast-overflow (a double beyond the
# integer it is converted to): name it.  Reports exit with 86, not 1, so
# that a case expecting a data error (status 1) cannot hide one.
SAN_CHECKS := address,undefined,float-cast-overflow
CFLAGS += -O1 -fsanitize=$(SAN_CHECKS) -fno-omit-frame-pointer \
          -fno-sanitize-recover=undefined,float-cast-overflow
LDFLAGS += -fsanitize=$(SAN_CHECKS)
export ASAN_OPTIONS ?= exitcode=86
export UBSAN_OPTIONS ?= exitcode=86:print_stacktrace=1
endif

ifndef V
Q = @
QCC = @echo "  CC      $@";
QLD = @echo "  LINK    $@";
QAR = @echo "  AR      $@";
endif

# src/<module>/ holds the library, one folder per stage of the data flow
# (docs/architecture.md); tools/<name>.c holds each tool's main.
# src/scan/ (QR codes in scans and PDFs) is its own archive, linked into
# cadre-verify only: the other tools need not load libzbar, poppler, cairo.
SCAN_SRC  := $(wildcard src/scan/*.c)
LIB_SRC   := $(filter-out $(SCAN_SRC),$(wildcard src/*/*.c))
LIB_OBJ   := $(LIB_SRC:src/%.c=$(B)/obj/%.o)
TOOL_SRC  := $(filter-out tools/common.c,$(wildcard tools/*.c))
TOOL_COMMON := $(wildcard tools/common.c)
TOOL_COMMON_OBJ := $(TOOL_COMMON:tools/%.c=$(B)/obj/tools/%.o)
TOOLS     := $(TOOL_SRC:tools/%.c=$(B)/bin/cadre-%)
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNITS     := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
LIB       := $(B)/libcadre.a

.PHONY: all check check-valgrind demo bench clean deps
.SUFFIXES:

all: $(LIB) $(TOOLS)

.PHONY: pkgcheck
pkgcheck:
	$(Q)mk/pkgcheck $(PKGS) $(SCAN_PKGS) -- $(PKG_DEBIAN)
$(LIB_OBJ) $(SCAN_OBJ): | pkgcheck

$(B)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(QCC)$(CC) $(CPPFLAGS) -Isrc $(CFLAGS) -MMD -MP -c -o $@ $<

$(B)/obj/tools/%.o: tools/%.c
	@mkdir -p $(@D)
	$(QCC)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

# One relocatable object in which only the cadre_ symbols stay global: a
# program linked with libcadre.a can never collide with a helper of ours
# (mk/exports.sh says why each step is there).
$(LIB): $(LIB_OBJ) mk/exports.sh
	$(QAR)mk/exports.sh static $@ $(LIB_OBJ)

$(B)/bin/cadre-%: $(B)/obj/tools/%.o $(TOOL_COMMON_OBJ) $(LIB)
	@mkdir -p $(@D)
	$(QLD)$(CC) $(LDFLAGS) -o $@.tmp $< $(TOOL_COMMON_OBJ) $(LIB) $(LDLIBS) && mv -f $@.tmp $@

$(B)/tests/%: tests/unit/%.c tests/unit/check.h $(LIB)
	@mkdir -p $(@D)
	$(QLD)$(CC) $(CPPFLAGS) -Itests/unit $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

# --- cadre-verify's scanner (src/scan/, include/cadre/scan.h) ---------------
SCAN_PKGS := zbar poppler-glib cairo libjpeg libpng
SCAN_OBJ  := $(SCAN_SRC:src/%.c=$(B)/obj/%.o)
SCAN_LIB  := $(B)/libcadre-scan.a
$(SCAN_OBJ): CPPFLAGS += $(shell pkg-config --cflags $(SCAN_PKGS) 2>/dev/null)
$(SCAN_LIB): $(SCAN_OBJ)
	$(QAR)rm -f $@ && ar rcs $@ $^
$(B)/bin/cadre-verify: $(SCAN_LIB)
$(B)/bin/cadre-verify: LDLIBS := $(SCAN_LIB) $(shell pkg-config --libs $(SCAN_PKGS) 2>/dev/null) $(LDLIBS)
-include $(SCAN_OBJ:.o=.d)

-include $(LIB_OBJ:.o=.d) $(TOOL_SRC:tools/%.c=$(B)/obj/tools/%.d) $(TOOL_COMMON_OBJ:.o=.d)
# The tools' objects are intermediate in a pattern chain: keep them, or
# make deletes them and every later build compiles them again.
.SECONDARY: $(TOOL_SRC:tools/%.c=$(B)/obj/tools/%.o) $(TOOL_COMMON_OBJ)

# The Debian packages every target below needs: one list, .ci/packages.txt.
deps:
	$(Q).ci/install-deps

# check also installs what `make deb` needs: tests/py/test_packages.py reads
# dpkg's database to prove that a fresh machine with both lists meets
# debian/control's Build-Depends (on a fresh Debian 12 it failed without).
check: deps
	$(Q).ci/install-deps .ci/packages-deb.txt
	$(Q)$(MAKE) --no-print-directory all $(UNITS)
	$(Q)BUILD=$(B) tests/run $(UNITS)

# The unit and functional tests again, each tool run under valgrind memcheck:
# any invalid access or definite leak fails the case (exit status 99).
check-valgrind: deps
	$(Q).ci/install-deps .ci/packages-valgrind.txt
	$(Q)$(MAKE) --no-print-directory all $(UNITS)
	$(Q)BUILD=$(B) CADRE_WRAP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite" \
	    tests/run $(UNITS)

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)BUILD=$(B) samples/demo

bench: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)BUILD=$(B) bench/run

clean:
	rm -rf build build-san out

# --- Fonts (cadre-cert, cadre-report: src/pdf/pdf_font.c) -----------------------
# Latin + Vietnamese subsets of Noto Serif made at build time, never
# committed: a certificate embeds ~30 KB per face instead of ~590 KB, which
# decides the size and speed of every PDF.  The tools find them in
# $(B)/fonts/ beside their bin/, or installed in share/cadrekit/fonts/; text
# with a character outside the subset falls back to the full font.
# Each document embeds only the glyphs it draws (src/pdf/pdf_embed.c);
# the subset makes reading the font at start-up cheap.
FONT_DIR      := /usr/share/fonts/truetype/noto
FONT_SUBSETS  := $(patsubst %,$(B)/fonts/NotoSerif-%.ttf,Regular Bold Italic BoldItalic)
FONT_UNICODES := U+0020-007E,U+00A0-01B0,U+1EA0-1EF9,U+2010-2027,U+20AB

all: $(FONT_SUBSETS)

# The recipe is part of what a subset is made of: depend on this file.
$(B)/fonts/%.ttf: $(FONT_DIR)/%.ttf Makefile
	@mkdir -p $(@D)
	@echo "  SUBSET  $@"
	$(Q)$(PYTHON) -m fontTools.subset $< --unicodes='$(FONT_UNICODES)' \
	    --layout-features='' --no-hinting --output-file=$@.tmp
	$(Q)$(PYTHON) -c "$$FONT_LIBHARU_TABLES" $@.tmp && mv $@.tmp $@

# --no-hinting drops the cvt, fpgm and prep tables, but libharu 2.3.0,
# which the floor of make bench (bench/floor-cert.c) embeds these subsets
# with, writes all 13 tables of its list into every embedded font and, for
# one that is missing, fails to save whenever the bytes before it fill its
# 4 KB blocks exactly.  Put back tiny ones: a zero control value and
# programs that push and pop a byte.
define FONT_LIBHARU_TABLES
import array, sys
from fontTools.ttLib import TTFont, newTable
from fontTools.ttLib.tables import ttProgram
font = TTFont(sys.argv[1], recalcTimestamp=False)  # same bytes from every build
for tag in ("cvt ", "fpgm", "prep"):
    if tag in font:
        continue
    table = newTable(tag)
    if tag == "cvt ":
        table.values = array.array("h", [0])
    else:
        table.program = ttProgram.Program()
        table.program.fromBytecode(b"\xb0\x00\x21")
    font[tag] = table
font.save(sys.argv[1])
endef
export FONT_LIBHARU_TABLES

# libpng checks PNG images before libharu sees them (src/pdf/pdf_image.c):
# libharu lets libpng abort the process on a corrupt file.  zlib compresses
# our content streams and fonts (src/pdf/pdf_content.c).
CPPFLAGS += $(shell pkg-config --cflags libpng 2>/dev/null)
LDLIBS   += $(shell pkg-config --libs libpng 2>/dev/null || echo -lpng) -lz


# --- Fuzzing (fuzz/, fuzz/README.md) ----------------------------------------
# libFuzzer harnesses for the records loader, the template reader and the
# expression language, built with clang, ASan and UBSan into build-fuzz/
# (its own objects: build/ and build-san/ are untouched).  `make fuzz` runs
# each for FUZZ_SECONDS on its corpus (build-fuzz/corpus/, made by
# fuzz/make-corpus from samples/, templates/, tests/ and fuzz/seeds/);
# a crash fails the target and its input is left in build-fuzz/crashes/.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
                -fno-omit-frame-pointer
FUZZ_CFLAGS  := -std=c11 -O1 -g -Wall -Wextra $(FUZZ_SAN)
FUZZ_NAMES   := records template expr sheet csv seal
FUZZ_BINS    := $(FUZZ_NAMES:%=build-fuzz/bin/fuzz_%)
FUZZ_OBJ     := $(LIB_SRC:src/%.c=build-fuzz/obj/%.o)

.PHONY: fuzz fuzz-build
fuzz-build:
	$(Q).ci/install-deps fuzz/packages.txt
	$(Q)$(MAKE) --no-print-directory $(FUZZ_BINS)

build-fuzz/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(QCC)$(FUZZ_CC) $(CPPFLAGS) -Isrc $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

build-fuzz/libcadre.a: $(FUZZ_OBJ)
	$(QAR)rm -f $@ && ar rcs $@ $^

build-fuzz/bin/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz_util.h build-fuzz/libcadre.a
	@mkdir -p $(@D)
	$(QLD)$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< build-fuzz/libcadre.a $(LDLIBS)

-include $(FUZZ_OBJ:.o=.d)

# One harness at a time, niced, stdin closed (a template may name
# /dev/stdin); every harness runs even when one crashes.
fuzz: fuzz-build
	$(Q)fuzz/make-corpus build-fuzz/corpus
	$(Q)mkdir -p build-fuzz/crashes; fail=0; \
	for h in $(FUZZ_NAMES); do \
	    echo "  FUZZ    $$h for $(FUZZ_SECONDS) s"; \
	    nice -n 10 build-fuzz/bin/fuzz_$$h build-fuzz/corpus/$$h \
	        -dict=fuzz/$$h.dict -max_total_time=$(FUZZ_SECONDS) \
	        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	        -artifact_prefix=build-fuzz/crashes/$$h- \
	        </dev/null >build-fuzz/$$h.log 2>&1 \
	    || { fail=1; echo "fuzz_$$h failed: see build-fuzz/$$h.log and build-fuzz/crashes/"; \
	         grep -A30 'ERROR:\|==ERROR\|runtime error' build-fuzz/$$h.log | head -40; }; \
	    grep '^stat::number_of_executed_units\|^stat::peak_rss' build-fuzz/$$h.log | sed 's/^/          /'; \
	done; exit $$fail

# --- Install (make install, make uninstall, make deb) -----------------------
# PREFIX and DESTDIR as every Debian package expects; LIBDIR for multiarch.
# What goes where: tools in bin/, libcadre.a and libcadre.so.SOVERSION (only
# cadre_ symbols exported: mk/exports.sh) in lib/, headers in
# include/cadre/, cadrekit.pc in lib/pkgconfig/, templates and font subsets
# in share/cadrekit/, man pages, bash completion.  The installed tools find
# share/cadrekit/ beside their bin/, wherever the tree was moved.
LIBDIR     ?= $(PREFIX)/lib
SOVERSION  := 0
SHLIB      := libcadre.so.$(SOVERSION)
PIC_OBJ    := $(LIB_SRC:src/%.c=$(B)/pic/%.o)
DATA_DIR    = $(DESTDIR)$(PREFIX)/share/cadrekit
MAN1       := $(wildcard man/*.1)
MAN5       := $(wildcard man/*.5)
COMPL_DIR   = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
# what a template names beside it (images, the page); not the scripts that
# made the sample images
TEMPLATE_FILES := $(filter-out %.py,$(wildcard templates/*/*))

$(B)/pic/%.o: src/%.c
	@mkdir -p $(@D)
	$(QCC)$(CC) $(CPPFLAGS) -Isrc $(CFLAGS) -fPIC -MMD -MP -c -o $@ $<
-include $(PIC_OBJ:.o=.d)

$(B)/$(SHLIB): $(PIC_OBJ) mk/exports.sh
	$(QLD)mk/exports.sh shared $@ $(PIC_OBJ) -- $(LDFLAGS) $(LDLIBS)

$(B)/cadrekit.pc: mk/cadrekit.pc.in Makefile
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(patsubst $(PREFIX)/%,$${prefix}/%,$(LIBDIR))|; s|@VERSION@|$(VERSION)|' \
	    -e 's|@REQUIRES@|$(PKGS) libpng zlib|' $< >$@.tmp && mv $@.tmp $@

.PHONY: install uninstall shared
shared: $(B)/$(SHLIB)

install: all $(B)/$(SHLIB) $(B)/cadrekit.pc
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(LIBDIR)/pkgconfig \
	    $(DESTDIR)$(PREFIX)/include/cadre $(DATA_DIR)/fonts \
	    $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man5 $(COMPL_DIR)
	install -m 755 $(TOOLS) $(DESTDIR)$(PREFIX)/bin
	install -m 644 $(LIB) $(DESTDIR)$(LIBDIR)
	install -m 644 $(B)/$(SHLIB) $(DESTDIR)$(LIBDIR)/libcadre.so.$(VERSION)
	ln -sf libcadre.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SHLIB)
	ln -sf $(SHLIB) $(DESTDIR)$(LIBDIR)/libcadre.so
	install -m 644 $(B)/cadrekit.pc $(DESTDIR)$(LIBDIR)/pkgconfig
	install -m 644 $(filter-out include/cadre/scan.h,$(wildcard include/cadre/*.h)) $(DESTDIR)$(PREFIX)/include/cadre
	for f in $(TEMPLATE_FILES); do install -D -m 644 $$f $(DATA_DIR)/$$f; done
	install -m 644 $(FONT_SUBSETS) $(DATA_DIR)/fonts
	$(if $(MAN1),install -m 644 $(MAN1) $(DESTDIR)$(PREFIX)/share/man/man1)
	$(if $(MAN5),install -m 644 $(MAN5) $(DESTDIR)$(PREFIX)/share/man/man5)
	install -m 644 completion/cadrekit $(COMPL_DIR)/cadrekit
	for t in $(notdir $(TOOLS)); do ln -sf cadrekit $(COMPL_DIR)/$$t; done

# Removes what install wrote, and the folders it made when they are empty.
uninstall:
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/bin/,$(notdir $(TOOLS)))
	rm -f $(DESTDIR)$(LIBDIR)/libcadre.a $(DESTDIR)$(LIBDIR)/libcadre.so \
	    $(DESTDIR)$(LIBDIR)/$(SHLIB) $(DESTDIR)$(LIBDIR)/libcadre.so.$(VERSION) \
	    $(DESTDIR)$(LIBDIR)/pkgconfig/cadrekit.pc
	rm -rf $(DESTDIR)$(PREFIX)/include/cadre $(DATA_DIR)
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/share/man/man1/,$(notdir $(MAN1))) \
	    $(addprefix $(DESTDIR)$(PREFIX)/share/man/man5/,$(notdir $(MAN5)))
	rm -f $(COMPL_DIR)/cadrekit $(addprefix $(COMPL_DIR)/,$(notdir $(TOOLS)))
	-rmdir -p $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(PREFIX)/bin \
	    $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man5 \
	    $(COMPL_DIR) 2>/dev/null || true

# make deb: the Debian packages (debian/, debhelper) built from a copy of
# the tracked tree in $(B)/deb/, so nothing is written beside the checkout;
# lintian must report no error.  The .debs land in $(B)/deb/.
DEB_TREE := $(B)/deb/cadrekit-$(VERSION)
.PHONY: deb
deb:
	$(Q).ci/install-deps .ci/packages-deb.txt
	$(Q)rm -rf $(B)/deb && mkdir -p $(DEB_TREE)
	$(Q)git ls-files -co --exclude-standard -z | \
	    xargs -0 -I{} cp --parents -P {} $(DEB_TREE)/ 2>/dev/null; \
	    test -f $(DEB_TREE)/debian/rules
	$(Q)cd $(DEB_TREE) && dpkg-buildpackage -us -uc -b >../build.log 2>&1 || \
	    { tail -40 ../build.log; exit 1; }
	$(Q)lintian --fail-on error --tag-display-limit 0 $(B)/deb/*.changes
	$(Q)ls $(B)/deb/*.deb

# --- Messages in Vietnamese (po/, gettext) ----------------------------------
# `make pot` extracts every message of src/ and tools/ into
# po/cadrekit.pot and merges it into each po/LANG.po; msgfmt --check makes
# $(B)/locale/LANG/LC_MESSAGES/cadrekit.mo, which the tools find beside
# their bin/ (tools/common.c).  The keywords are every function that takes
# a message format: the library translates what it adds to a diagnostics
# list (cadre_diags_vadd), the tools what they print (tool_error …).
PO_LANGS := $(basename $(notdir $(wildcard po/*.po)))
MO_FILES := $(PO_LANGS:%=$(B)/locale/%/LC_MESSAGES/cadrekit.mo)
XGETTEXT_KEYWORDS := -k_ -kCADRE_N_ -kN_ -kgettext -kcadre_gettext \
    -kcadre_diags_error:4 -kcadre_diags_add:5 -kcadre_diags_warn:4 \
    -ktool_error:1 -ktool_usage_error:2 -ktool_warning:1 \
    --flag=cadre_diags_error:4:c-format --flag=cadre_diags_add:5:c-format \
    --flag=tool_error:1:c-format --flag=tool_usage_error:2:c-format \
    $(shell sed -n 's/^keyword[[:space:]]*//p' po/keywords 2>/dev/null)

all: $(MO_FILES)

$(B)/locale/%/LC_MESSAGES/cadrekit.mo: po/%.po
	@mkdir -p $(@D)
	$(Q)msgfmt --check -o $@.tmp $< && mv $@.tmp $@

XGETTEXT := xgettext --from-code=UTF-8 --language=C --add-comments=TRANSLATORS \
    --package-name=cadrekit --package-version=$(VERSION) \
    --msgid-bugs-address=dev@cadrekit.vn $(XGETTEXT_KEYWORDS)
MSG_SRC  := $(sort $(wildcard src/*/*.c tools/*.c))

.PHONY: pot po-check
pot:
	$(Q)$(XGETTEXT) -o po/cadrekit.pot $(MSG_SRC)
	$(Q)for l in $(PO_LANGS); do msgmerge -q --update --backup=none --no-fuzzy-matching po/$$l.po po/cadrekit.pot && \
	    msgattrib --no-obsolete -o po/$$l.po po/$$l.po; done

# Every message of the sources has its translation in every po/LANG.po
# (msgcmp: none missing, none untranslated, none fuzzy), and the catalogue
# compiles clean (tests/py/test_messages.py runs it).
po-check:
	$(Q)mkdir -p $(B)
	$(Q)$(XGETTEXT) -o $(B)/cadrekit.pot $(MSG_SRC)
	$(Q)for l in $(PO_LANGS); do \
	    msgcmp po/$$l.po $(B)/cadrekit.pot || exit 1; \
	    if msgfmt --check --statistics -o /dev/null po/$$l.po 2>&1 | \
	        grep 'fuzzy\|untranslated\|error' >&2; then exit 1; fi; \
	done

install: install-locale
.PHONY: install-locale
install-locale: $(MO_FILES)
	$(Q)for l in $(PO_LANGS); do \
	    install -d $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES && \
	    install -m 644 $(B)/locale/$$l/LC_MESSAGES/cadrekit.mo \
	        $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES/; done
uninstall: uninstall-locale
.PHONY: uninstall-locale
uninstall-locale:
	rm -f $(PO_LANGS:%=$(DESTDIR)$(PREFIX)/share/locale/%/LC_MESSAGES/cadrekit.mo)
	-for l in $(PO_LANGS); do rmdir -p $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES 2>/dev/null; done; true
