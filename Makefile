# optima - DynamoDB cost optimizer.  GNU make.
#
#   make                  build every program into $(BUILD)/bin
#   make deps             install what building and testing need (Debian)
#   make check            deps, build, then run the TAP tests with prove
#   make check SANITIZE=1 the same with AddressSanitizer + UBSan (in build-san/)
#   make valgrind         the C unit tests under valgrind
#   make demo             a full run against the local AWS emulator
#   make bench            the benchmarks in bench/
#   make lint             mandoc -Tlint and shellcheck
#   make fuzz             each libFuzzer target for FUZZ_SECONDS (clang, in build-fuzz/)
#   make stress           the whole fault matrix against the emulator, with a report
#   make install          PREFIX=/usr/local, DESTDIR honoured
#   make WERROR=1         warnings are errors (CI)

VERSION = 0.1.0

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share

CC ?= cc
CFLAGS ?= -O2 -g
PKGS = jansson libcrypto libcurl expat libpcre2-8 zlib libzstd libmicrohttpd
override CPPFLAGS += -D_POSIX_C_SOURCE=200809L -Ilib \
	$(shell pkg-config --cflags $(PKGS))
override CFLAGS := -std=c99 -Wall -Wextra -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wpointer-arith -Wno-unused-parameter $(CFLAGS)
# libsnappy-dev ships no .pc file.
# libcsv-dev ships no .pc file either.
LDLIBS = $(shell pkg-config --libs $(PKGS)) -lsnappy -lcsv -lm

ifeq ($(SANITIZE),1)
BUILD ?= build-san
override CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
override LDFLAGS += -fsanitize=address,undefined
else
BUILD ?= build
endif
ifeq ($(WERROR),1)
override CFLAGS += -Werror
endif

PROGS = optima-commit optima-cur optima-discover optima-fetch-metrics optima-gui \
	optima-health optima-pricing \
	optima-mark optima-rank optima-report optima-simulate \
	optima-status
SCRIPTS = optima
MAN1 = $(PROGS:%=man/%.1)
MAN5 = man/optima-records.5
MAN7 = man/optima.7
UNITS = t-atomicio t-checkpoint t-datetime t-log t-metricdata t-metrics t-ndjson t-parsenum \
	t-awsconfig t-awsendpoint t-awsxml t-progress t-projdir t-series t-settings t-sigv4 t-strbuf \
	t-autoscale t-cost t-cur t-tune

UNITS += t-parquet
UNITS += t-gui
UNITS += t-rank
LIBSRC = $(wildcard lib/*.c)
LIBOBJ = $(LIBSRC:%.c=$(BUILD)/%.o)
BINS = $(PROGS:%=$(BUILD)/bin/%)
UNITBINS = $(UNITS:%=$(BUILD)/tests/%)
# Programs the tests drive that are not TAP tests themselves.
HELPERBINS = $(BUILD)/tests/sigv4-sign $(BUILD)/tests/aws-call \
	$(BUILD)/tests/parquet-dump

# The fuzz targets (tests/fuzz/fuzz-NAME.c): each is also built as a plain
# program that replays files (tests/fuzz/replay.c), for make check to run
# over its corpus and the inputs that once crashed (tests/1710-fuzz.t).
FUZZ = awsconfig awsreply awsxml creds curfile gui jscan metricdata ndjson \
	parquet pricelist rank report series settings simulate
FUZZREPLAY = $(FUZZ:%=$(BUILD)/tests/fuzz-%)
HELPERBINS += $(FUZZREPLAY)

all: $(BINS) $(UNITBINS) $(HELPERBINS)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

# The build stamp changes with the commit; only version.o depends on it.
$(BUILD)/build-id: FORCE
	@mkdir -p $(@D)
	@id=$$(git describe --always --dirty 2>/dev/null || echo unknown); \
	[ "$$(cat $@ 2>/dev/null)" = "$$id" ] || echo "$$id" >$@
$(BUILD)/lib/version.o: $(BUILD)/build-id
$(BUILD)/lib/version.o: override CPPFLAGS += -DOPTIMA_VERSION='"$(VERSION)"' \
	-DOPTIMA_BUILD="\"$$(cat $(BUILD)/build-id)\""

$(BUILD)/liboptima.a: $(LIBOBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/bin/%: $(BUILD)/cmd/%.o $(BUILD)/liboptima.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(BUILD)/tests/unit/tap.o \
    $(BUILD)/liboptima.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(FUZZREPLAY): $(BUILD)/tests/fuzz-%: $(BUILD)/tests/fuzz/fuzz-%.o \
    $(BUILD)/tests/fuzz/replay.o $(BUILD)/tests/fuzz/fuzzfile.o \
    $(BUILD)/liboptima.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# make fuzz: the targets built with clang's libFuzzer, ASan and UBSan into
# build-fuzz/, each run for FUZZ_SECONDS from its seed corpus
# (tests/fuzz/corpus/NAME, never written) and what earlier runs found
# (build-fuzz/corpus/NAME); a crash is left in build-fuzz/crashes/NAME/
# and fails the target: copy it to tests/fuzz/crashes/NAME/ once fixed.
FUZZ_SECONDS = 60
FUZZCC = clang
FUZZSAN = -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZBINS = $(FUZZ:%=$(BUILD)/fuzz/fuzz-%)

$(FUZZBINS): $(BUILD)/fuzz/fuzz-%: $(BUILD)/tests/fuzz/fuzz-%.o \
    $(BUILD)/tests/fuzz/fuzzfile.o $(BUILD)/liboptima.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -fsanitize=fuzzer $(LDFLAGS) -o $@ $^ $(LDLIBS)

fuzz-build: $(FUZZBINS)

fuzz:
	$(MAKE) BUILD=build-fuzz CC=$(FUZZCC) \
		CFLAGS='-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link $(FUZZSAN)' \
		LDFLAGS='$(FUZZSAN)' fuzz-build
	@failed=; for f in $(FUZZ); do \
		mkdir -p build-fuzz/corpus/$$f build-fuzz/crashes/$$f; \
		echo "fuzz-$$f: $(FUZZ_SECONDS) s"; \
		build-fuzz/fuzz/fuzz-$$f -max_total_time=$(FUZZ_SECONDS) \
			-timeout=30 -rss_limit_mb=2048 -close_fd_mask=3 \
			-print_final_stats=1 \
			-artifact_prefix=build-fuzz/crashes/$$f/ \
			build-fuzz/corpus/$$f tests/fuzz/corpus/$$f \
			>build-fuzz/fuzz-$$f.log 2>&1 || { \
			tail -60 build-fuzz/fuzz-$$f.log; failed="$$failed $$f"; }; \
		grep -E '^stat::(number_of_executed_units|new_units_added)' \
			build-fuzz/fuzz-$$f.log | sed "s/^/fuzz-$$f: /"; \
	done; \
	[ -z "$$failed" ] || { echo "fuzz: crashes in:$$failed" >&2; exit 1; }

# make stress: the whole fault matrix (tests/stress/faults), its report.
stress: all
	$(TESTENV) tests/stress/faults

# Tests see the programs of this build first, then the scripts.
TESTENV = PATH="$(CURDIR)/$(BUILD)/bin:$(CURDIR)/scripts:$$PATH" \
	OPTIMA_BINDIR="$(CURDIR)/$(BUILD)/bin" OPTIMA_TOP="$(CURDIR)" \
	OPTIMA_UNITS="$(CURDIR)/$(BUILD)/tests"
PROVE = prove $(if $(V),-v) --timer

deps:
	scripts/setup

# check installs what is missing first, so it works on a fresh machine.
check: deps
	$(MAKE) all
	$(TESTENV) $(PROVE) $(UNITBINS) tests/*.t </dev/null

VALGRIND = valgrind -q --error-exitcode=1 --leak-check=full \
	--errors-for-leak-kinds=definite,indirect
# demo installs what is missing first, like check.
demo: deps
	$(MAKE) all
	OPTIMA_BINDIR=$(CURDIR)/$(BUILD)/bin scripts/demo

valgrind: all
	$(TESTENV) $(PROVE) --exec '$(VALGRIND)' $(UNITBINS) </dev/null

BENCHES = ndjson-read autoscale
BENCHES += parquet-scan
BENCHBINS = $(BENCHES:%=$(BUILD)/bench/%)
# Programs the benchmark scripts run.
BENCHGEN = $(BUILD)/bench/simulate-gen

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(BUILD)/liboptima.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

bench: all $(BENCHBINS) $(BENCHGEN)
	@for b in $(BENCHBINS); do $$b || exit 1; done
	OPTIMA_BINDIR=$(CURDIR)/$(BUILD)/bin bench/discover.sh
	OPTIMA_BINDIR=$(CURDIR)/$(BUILD)/bin bench/metrics.sh
	OPTIMA_BINDIR=$(CURDIR)/$(BUILD)/bin bench/simulate.sh
	OPTIMA_BINDIR=$(CURDIR)/$(BUILD)/bin bench/scale.sh medium 1 2
	OPTIMA_BINDIR=$(CURDIR)/$(BUILD)/bin bench/gui.sh

lint:
	mandoc -Tlint -W warning $(MAN1) $(MAN5) $(MAN7)
	shellcheck -x scripts/optima scripts/setup scripts/demo tests/lib*.sh tests/*.t bench/*.sh \
		tests/emulator/run tests/stress/faults .ci/run
	@if git grep -n -E -e '\.\./shared' -e 'OPTIMA_SHARE[D]' -- ':!*.md' ':!man/'; then \
		echo "lint: the lines above read outside the repository (no clone has it)" >&2; \
		exit 1; fi

# optima-gui's page, and Chart.js as npm installed it (scripts/setup):
# installed in the same layout, in $(DATADIR)/optima/gui, where optima-gui
# finds it from $(BINDIR)/../share/optima/gui; the README beside it, in
# $(DATADIR)/optima, which the page links to.
GUIDIR = $(DATADIR)/optima/gui
GUIFILES = gui/index.html gui/app.js gui/app.css
CHARTJS = node_modules/chart.js/dist

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	install -m 0755 $(BINS) $(SCRIPTS:%=scripts/%) $(DESTDIR)$(BINDIR)
	install -m 0644 $(MAN1) $(DESTDIR)$(MANDIR)/man1
	install -m 0644 $(MAN5) $(DESTDIR)$(MANDIR)/man5
	install -m 0644 $(MAN7) $(DESTDIR)$(MANDIR)/man7
	install -d $(DESTDIR)$(GUIDIR)/$(CHARTJS)
	install -m 0644 $(GUIFILES) $(DESTDIR)$(GUIDIR)
	install -m 0644 README.md $(DESTDIR)$(GUIDIR)/..
	install -m 0644 gui/$(CHARTJS)/chart.umd.js $(DESTDIR)$(GUIDIR)/$(CHARTJS)
	install -m 0644 gui/node_modules/chart.js/LICENSE.md \
		$(DESTDIR)$(GUIDIR)/node_modules/chart.js

clean:
	rm -rf build build-san build-fuzz

FORCE:
.PHONY: all bench check demo deps valgrind lint install clean FORCE \
	fuzz fuzz-build stress
.SECONDARY:
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
