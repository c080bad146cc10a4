# kura — the front door. `make site` builds the seed archive into site/,
# `make test` runs every test. Missing Debian packages are installed first
# (as root, with apt-get; otherwise the command to run is printed).

# Every target builds in parallel, one job per CPU, unless the command
# line says otherwise (make -j1). Only the top-level make adds -j (a
# sub-make, as in make asan, shares its jobserver), and not with clean
# among the goals, which must not run beside the others (make clean all).
ifeq ($(MAKELEVEL)$(filter clean,$(MAKECMDGOALS)),0)
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 2)
endif

CC      ?= cc
PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
BIN     ?= kura
WERROR  ?= $(if $(CI),-Werror,)

DEB_PKGS := gcc make pkg-config git python3 libcmark-gfm-dev \
            libcmark-gfm-extensions-dev libyaml-dev libgit2-dev libutf8proc-dev \
            libmicrohttpd-dev gettext
PC_PKGS  := libgit2 yaml-0.1 libcmark-gfm libutf8proc libmicrohttpd

WARN    := -Wall -Wextra -Wpedantic -Wstrict-prototypes -Wmissing-prototypes \
           -Wwrite-strings -Wshadow
CFLAGS  ?= -O2 -g
# pkg-config runs once, when a recipe first needs it: after deps has
# installed it (so not while the Makefile is read), and not once per file.
PC_CFLAGS = $(eval PC_CFLAGS := $(shell pkg-config --cflags $(PC_PKGS) 2>/dev/null))$(PC_CFLAGS)
PC_LIBS   = $(eval PC_LIBS := $(shell pkg-config --libs $(PC_PKGS) 2>/dev/null))$(PC_LIBS)
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) $(WERROR) \
           $(CFLAGS) -MMD -MP -Isrc -I$(BUILD) $(PC_CFLAGS)
# cmark-gfm's extensions library has no .pc file.
LIBS    = $(PC_LIBS) -lcmark-gfm-extensions -lpthread

SRCS    := $(sort $(wildcard src/*.c))
OBJS    := $(SRCS:src/%.c=$(BUILD)/%.o) $(BUILD)/theme_default.o
LIBOBJS := $(filter-out $(BUILD)/main.o,$(OBJS))
TESTS   := $(sort $(wildcard tests/unit/test_*.c))
TESTBIN := $(TESTS:tests/unit/%.c=$(BUILD)/%)
# The end-to-end scripts of make test; tsan.sh needs the ThreadSanitizer
# build, which make tsan makes (it would not fit make test's 15 s).
E2E     := $(filter-out tests/e2e/tsan.sh,$(sort $(wildcard tests/e2e/*.sh)))
THEME_FILES := $(shell find themes/default -type f 2>/dev/null | LC_ALL=C sort)
# Message catalogs (src/i18n.h): po/<lang>.po compiled into
# $(BUILD)/locale/<lang>/LC_MESSAGES/kura.mo, where kura finds them beside
# the binary; $(BUILD)/kura.pot holds every message, extracted from the
# sources (the diag functions' formats and hints, i18n_tr's and N_'s, and
# date.c's fail).
LANGS   := $(patsubst po/%.po,%,$(wildcard po/*.po))
MOS     := $(LANGS:%=$(BUILD)/locale/%/LC_MESSAGES/kura.mo)
XGETTEXT_KEYS := -k -kdiag_error:5 -kdiag_warn:5 -kdiag_hint:2 -ki18n_tr -kN_ -kfail

.PHONY: all deps pot site test check-tests bench fuzz install uninstall clean regen asan valgrind tsan

all: deps $(BIN)

# $(call ensure_pkgs,PACKAGES): shell code that installs the Debian
# packages of the list that are missing (as root, with apt-get, saying so)
# or prints the apt-get line to run and fails (as another user). One
# dpkg-query for the whole list: it is on the critical path of every clean
# build, and one call a package cost over a second here.
ensure_pkgs = have=" $$(dpkg-query -W -f='$${Package} $${Status}\n' $(1) 2>/dev/null | \
	  sed -n 's/ install ok installed$$//p' | tr '\n' ' ')"; missing=""; \
	for p in $(1); do \
	  case "$$have" in *" $$p "*) ;; *) missing="$$missing $$p" ;; esac; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "kura: installing Debian packages:$$missing"; \
	    echo "+ apt-get update && apt-get install -y$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing || exit 1; \
	  else \
	    echo "kura: missing Debian packages:$$missing"; \
	    echo "run: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

# deps: install what is missing, once; the stamp is refreshed when this
# Makefile changes (the package list, or the flags every object is built
# with). One stamp for every build directory: the sanitizer builds
# (BUILD=build/asan...) do not check again.
DEPS := build/.deps
deps: $(DEPS)
$(DEPS): Makefile
	@mkdir -p $(@D)
	@$(call ensure_pkgs,$(DEB_PKGS)); touch $@

$(BIN): $(DEPS) $(OBJS) $(MOS)
	$(CC) $(ALL_CFLAGS) -o $@ $(OBJS) $(LIBS)

$(BUILD)/locale/%/LC_MESSAGES/kura.mo: po/%.po $(DEPS)
	@mkdir -p $(@D)
	msgfmt --check -o $@ $<
$(BUILD)/kura.pot: $(SRCS) $(DEPS)
	@mkdir -p $(@D)
	xgettext --from-code=UTF-8 --no-location --sort-output $(XGETTEXT_KEYS) \
	  --package-name=kura -o $@ $(SRCS)
# po/ja.po brought up to date with the sources (new messages untranslated,
# which make test then reports): run after changing a message.
pot: $(BUILD)/kura.pot
	for l in $(LANGS); do msgmerge -q --backup=off --no-location --sort-output -U po/$$l.po $(BUILD)/kura.pot; done

$(BUILD)/%.o: src/%.c $(DEPS)
	@mkdir -p $(BUILD)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The default theme is compiled into the binary from themes/default, the
# one source of truth; build/theme_default.c is generated, never edited.
$(BUILD)/embed: tools/embed.c $(DEPS)
	$(CC) -std=c11 $(WARN) $(WERROR) -O2 -o $@ $<
$(BUILD)/theme_default.c: $(BUILD)/embed $(THEME_FILES)
	$(BUILD)/embed themes/default $(THEME_FILES) > $@.tmp && mv $@.tmp $@
$(BUILD)/theme_default.o: $(BUILD)/theme_default.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# Every module but main.o, as a static library: a test program links only
# the modules it uses, which is faster than linking them all each time.
$(BUILD)/libkura.a: $(LIBOBJS)
	@rm -f $@
	$(AR) rcs $@ $(LIBOBJS)

# A test program's own code is compiled at -O0 (ten of them are compiled
# on every clean build, and they need no speed); the code under test is
# the library above, built with CFLAGS.
$(BUILD)/test_%: tests/unit/test_%.c tests/unit/harness.h tests/unit/support.h $(BUILD)/libkura.a
	$(CC) $(ALL_CFLAGS) -O0 -Itests/unit -o $@ $< $(BUILD)/libkura.a $(LIBS)

site: deps kura
	./kura build --out site

check-tests: deps $(BIN) $(TESTBIN) $(BUILD)/kura.pot

test: check-tests asan
	@sh tests/run.sh $(TESTBIN) $(E2E)

# kura built with AddressSanitizer and UBSan in a build directory of its
# own; tests/e2e/seed.sh runs the seed archive through it. Every report
# stops the program.
# -O0 -g1 compiles in a third of the time of -O1 -g (make test builds this
# on every clean clone); line tables are enough for the reports' file:line.
# ASan checks as much at -O0; UBSan's object-size check sees less without
# optimisation, but ASan catches those overflows anyway. Runs are slower,
# and the seed archive still builds in a quarter of a second.
# Three UBSan checks are left out, because they cost more compile time than
# the rest of UBSan and ASan together (6.8 s of CPU for the modules against
# 4.1 s without them) and add little beside ASan: null (a load or store
# through a null pointer faults, and ASan reports the fault with its
# stack), alignment (x86-64 loads and stores work at any alignment, and
# kura does no type punning through casts) and pointer-overflow (arithmetic
# that wraps the address space; an access through such a pointer is an
# ASan report). nonnull-attribute, which catches qsort(NULL, 0, ...), stays.
SAN_CFLAGS := -O0 -g1 -fsanitize=address,undefined \
              -fno-sanitize=null,alignment,pointer-overflow \
              -fno-omit-frame-pointer -fno-sanitize-recover=all
ASAN_MAKE = $(MAKE) --no-print-directory BUILD=build/asan BIN=build/asan/kura \
            CFLAGS="$(SAN_CFLAGS)"
asan: deps
	+@$(ASAN_MAKE) build/asan/kura

# make fuzz: tests/fuzz/fuzz.c, built with ASan and UBSan, mutates the
# front matter + Markdown files, site.yaml and templates of content/ and
# tests/fixtures/, runs the reading stages in-process and the whole
# pipeline through build/asan/kura, for FUZZ_SECONDS seconds; it fails on
# any crash or sanitizer report and saves the input under
# build/fuzz/crashes/. Not part of make test (time budget).
FUZZ_SECONDS ?= 60
fuzz: deps
	+@$(ASAN_MAKE) build/asan/kura build/asan/fuzz
	@FUZZ_SECONDS=$(FUZZ_SECONDS) build/asan/fuzz
$(BUILD)/fuzz: tests/fuzz/fuzz.c $(BUILD)/libkura.a
	$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(BUILD)/libkura.a $(LIBS)

# The seed build, the bad-input build and every unit test program under
# valgrind's memcheck (tests/valgrind.sh); fails on any report. Not part
# of make test (about 30 s). valgrind is a Debian package of its own,
# installed (or asked for) here only.
VALGRIND_PKGS := valgrind
build/.deps-valgrind: Makefile
	@mkdir -p $(@D)
	@$(call ensure_pkgs,$(VALGRIND_PKGS)); touch $@
valgrind: check-tests build/.deps-valgrind
	@sh tests/valgrind.sh $(TESTBIN)

# kura, test_tmpl (threads rendering one template set) and test_write
# (the writer's worker threads) built with ThreadSanitizer in a build
# directory of their own, then run: tests/e2e/tsan.sh builds the seed
# archive with -j 4. Any report fails. Not part of make test (the build
# alone would take most of its time budget).
TSAN_CFLAGS := -O1 -g -fsanitize=thread
TSAN_BIN := build/tsan/kura build/tsan/test_tmpl build/tsan/test_write
tsan: deps $(BIN)
	+@$(MAKE) --no-print-directory BUILD=build/tsan BIN=build/tsan/kura \
	  CFLAGS="$(TSAN_CFLAGS)" $(TSAN_BIN)
	@TSAN_OPTIONS="halt_on_error=1 exitcode=66" sh tests/run.sh \
	  $(filter build/tsan/test_%,$(TSAN_BIN)) tests/e2e/tsan.sh

# Rebuilds the golden sites, shows the difference, then replaces them.
regen: deps $(BIN)
	@sh tests/regen.sh

$(BUILD)/bench_tmpl: tests/bench/bench_tmpl.c $(BUILD)/libkura.a
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libkura.a $(LIBS)

bench: deps $(BIN) $(BUILD)/bench_tmpl
	@sh tests/bench.sh

install: deps kura
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 kura $(DESTDIR)$(PREFIX)/bin/kura
	install -d $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 644 docs/kura.1 $(DESTDIR)$(PREFIX)/share/man/man1/kura.1
	for l in $(LANGS); do \
	  install -d $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES && \
	  install -m 644 $(BUILD)/locale/$$l/LC_MESSAGES/kura.mo \
	    $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES/kura.mo || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/kura $(DESTDIR)$(PREFIX)/share/man/man1/kura.1
	for l in $(LANGS); do rm -f $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES/kura.mo; done

clean:
	rm -rf $(BUILD) kura

-include $(wildcard $(BUILD)/*.d)
