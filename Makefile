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

PKGS    := libxml-2.0 xlsxwriter libutf8proc libqrencode fontconfig
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -pipe
# The library sees its own internal headers (-Isrc: "util/grow.h"); the
# tools and the tests see the public ones only (-Iinclude).
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iinclude \
            -DCADRE_VERSION='"$(VERSION)"' -DCADRE_DATADIR='"$(PREFIX)/share/cadrekit"' \
            $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lhpdf -lm

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
LIB_SRC   := $(wildcard src/*/*.c)
LIB_OBJ   := $(LIB_SRC:src/%.c=$(B)/obj/%.o)
TOOL_SRC  := $(filter-out tools/common.c,$(wildcard tools/*.c))
TOOL_COMMON := $(wildcard tools/common.c)
TOOL_COMMON_OBJ := $(TOOL_COMMON:tools/%.c=$(B)/obj/tools/%.o)
TOOLS     := $(TOOL_SRC:tools/%.c=$(B)/bin/cadre-%)
UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNITS     := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
LIB       := $(B)/libcadre.a

.PHONY: all check check-valgrind demo bench install clean deps
.SUFFIXES:

all: $(LIB) $(TOOLS)

$(B)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(QCC)$(CC) $(CPPFLAGS) -Isrc $(CFLAGS) -MMD -MP -c -o $@ $<

$(B)/obj/tools/%.o: tools/%.c
	@mkdir -p $(@D)
	$(QCC)$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(LIB): $(LIB_OBJ)
	$(QAR)rm -f $@ && ar rcs $@ $^

$(B)/bin/cadre-%: $(B)/obj/tools/%.o $(TOOL_COMMON_OBJ) $(LIB)
	@mkdir -p $(@D)
	$(QLD)$(CC) $(LDFLAGS) -o $@.tmp $< $(TOOL_COMMON_OBJ) $(LIB) $(LDLIBS) && mv -f $@.tmp $@

$(B)/tests/%: tests/unit/%.c tests/unit/check.h $(LIB)
	@mkdir -p $(@D)
	$(QLD)$(CC) $(CPPFLAGS) -Itests/unit $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

-include $(LIB_OBJ:.o=.d) $(TOOL_SRC:tools/%.c=$(B)/obj/tools/%.d) $(TOOL_COMMON_OBJ:.o=.d)
# The tools' objects are intermediate in a pattern chain: keep them, or
# make deletes them and every later build compiles them again.
.SECONDARY: $(TOOL_SRC:tools/%.c=$(B)/obj/tools/%.o)

# The Debian packages every target below needs: one list, .ci/packages.txt.
deps:
	$(Q).ci/install-deps

check: deps
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

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib \
	    $(DESTDIR)$(PREFIX)/include/cadre $(DESTDIR)$(PREFIX)/share/cadrekit
	install -m 755 $(TOOLS) $(DESTDIR)$(PREFIX)/bin
	install -m 644 $(LIB) $(DESTDIR)$(PREFIX)/lib
	install -m 644 include/cadre/*.h $(DESTDIR)$(PREFIX)/include/cadre
	cp -R templates $(DESTDIR)$(PREFIX)/share/cadrekit/

clean:
	rm -rf build build-san out

# --- Fonts (cadre-cert, cadre-report: src/pdf/pdf_font.c) -----------------------
# Latin + Vietnamese subsets of Noto Serif made at build time, never
# committed: a certificate embeds ~30 KB per face instead of ~590 KB, which
# decides the size and speed of every PDF.  The tools find them in
# $(B)/fonts/ beside their bin/, or installed in share/cadrekit/fonts/; text
# with a character outside the subset falls back to the full font.
# Few, long ranges: libharu looks up every BMP code point of a font in
# each document by a linear walk of the cmap's segments, which was a quarter
# of the time of a per-person file.  ¼ ½ ¾ are in it but never drawn:
# their glyphs nest composites, which libharu 2.3.0 embeds without their
# parts (src/pdf/pdf_ttf.c refuses such glyphs in any font).
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

# --no-hinting drops the cvt, fpgm and prep tables, but libharu 2.3.0
# writes all 13 tables of its list into every embedded font and, for one
# that is missing, fails to save whenever the bytes before it fill its
# 4 KB blocks exactly (src/pdf/pdf_ttf.c refuses such fonts).  Put back tiny
# ones: a zero control value and programs that push and pop a byte.
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

# libpng checks PNG images before libharu sees them (src/pdf/pdf.c): libharu
# lets libpng abort the process on a corrupt file.  zlib: src/pdf/pdf.c sets
# the level of libharu's compression.
CPPFLAGS += $(shell pkg-config --cflags libpng 2>/dev/null)
LDLIBS   += $(shell pkg-config --libs libpng 2>/dev/null || echo -lpng) -lz

install: install-fonts
.PHONY: install-fonts
install-fonts: $(FONT_SUBSETS)
	install -d $(DESTDIR)$(PREFIX)/share/cadrekit/fonts
	install -m 644 $(FONT_SUBSETS) $(DESTDIR)$(PREFIX)/share/cadrekit/fonts

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
FUZZ_NAMES   := records template expr
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
