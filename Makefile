# tcpdrop: drop TCP connections (Linux).
VERSION := 1.0.0
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
DESTDIR ?=

CC ?= cc
PKG_CONFIG ?= pkg-config
MNL_CFLAGS := $(shell $(PKG_CONFIG) --cflags libmnl libcap)
MNL_LIBS := $(shell $(PKG_CONFIG) --libs libmnl libcap)
CFLAGS ?= -O2 -g
WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
ALL_CFLAGS := -std=gnu11 -D_GNU_SOURCE -DTCPDROP_VERSION='"$(VERSION)"' $(WARNINGS) $(MNL_CFLAGS) $(CFLAGS)
LDLIBS := $(MNL_LIBS) -pthread

# Every source but main.c: the unit tests link against them, with a main() of their own.
LIB_SOURCES := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJECTS := $(LIB_SOURCES:.c=.o)
# The netlink module, for the programs that use it alone.
DIAG_SOURCES := $(wildcard src/diag*.c)
DIAG_OBJECTS := $(DIAG_SOURCES:.c=.o)
UNIT_SOURCES := $(wildcard tests/unit/test_*.c)
UNIT_TESTS := $(UNIT_SOURCES:.c=)
# The unit tests that include scripted_kernel.h run against the scripted
# kernel: linked with it, and with libmnl's I/O wrapped so that it answers.
SCRIPTED_TESTS := $(patsubst %.c,%,$(shell grep -l 'include "scripted_kernel.h"' $(UNIT_SOURCES)))
SCRIPTED_WRAP := -Wl,--wrap=send -Wl,--wrap=mnl_socket_recvfrom -Wl,--wrap=recvmmsg

.PHONY: all check unit integration clean install uninstall lint bench fuzz fuzz-regress ci \
	check-kernels

all: tcpdrop

tcpdrop: src/main.o $(LIB_OBJECTS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

src/%.o: src/%.c src/*.h Makefile
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

tests/unit/%: tests/unit/%.c tests/unit/unit.h tests/unit/unit_conn.h $(LIB_OBJECTS)
	$(CC) $(ALL_CFLAGS) -Isrc $(LDFLAGS) -o $@ $< $(LIB_OBJECTS) $(LDLIBS)

$(SCRIPTED_TESTS): tests/unit/%: tests/unit/%.c tests/unit/unit.h tests/unit/scripted_kernel.o \
    $(LIB_OBJECTS)
	$(CC) $(ALL_CFLAGS) -Isrc $(LDFLAGS) $(SCRIPTED_WRAP) -o $@ $< tests/unit/scripted_kernel.o \
		$(LIB_OBJECTS) $(LDLIBS)

tests/unit/scripted_kernel.o: tests/unit/scripted_kernel.c tests/unit/scripted_kernel.h src/*.h \
    Makefile
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -Isrc -c -o $@ $<

unit: $(UNIT_TESTS)

# The whole suite: unit tests, then the integration tests, each in
# network namespaces of its own.  The last line reads "N passed, M failed".
check: tcpdrop unit tests/race/stale_cookie
	tests/run

SANITIZERS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# The suite inside Debian's kernels (5.10, 6.1, 6.12), each booted under
# qemu: tests/kernels/check-kernels.  KERNELS_TESTS: "smoke" (the default,
# tests/kernels/smoke), "all", or bats files and "unit"; KERNELS: suites.
KERNELS ?= bullseye bookworm trixie
KERNELS_TESTS ?= smoke
check-kernels: tcpdrop unit tests/race/stale_cookie
	tests/kernels/check-kernels -s "$(KERNELS)" -t "$(KERNELS_TESTS)"

# Everything CI runs (README): the package built, installed and run; the
# fuzzers over their corpora and briefly fuzzing; the whole suite built with
# the sanitizers; the smoke subset on each of Debian's kernels under qemu;
# and last the whole suite as shipped, with -Werror, on this machine's
# kernel, so that the run ends with its "N passed, M failed".  None of it
# may use git (tests/nogit/git fails): it must run from a plain copy of the
# tree.
ci: export PATH := $(CURDIR)/tests/nogit:$(PATH)
ci:
	$(MAKE) clean
	tests/package.sh
	$(MAKE) fuzz-regress
	$(MAKE) fuzz FUZZ_SECONDS=15
	$(MAKE) clean
	TCPDROP_SANITIZED=1 $(MAKE) check CFLAGS="-O1 -g -Werror $(SANITIZERS)" \
		LDFLAGS="$(SANITIZERS)"
	$(MAKE) clean
	$(MAKE) check-kernels CFLAGS="-O2 -g -Werror"
	$(MAKE) check CFLAGS="-O2 -g -Werror"

# The stale-cookie race, played out against the kernel by tests/integration/robust.bats.
tests/race/stale_cookie: tests/race/stale_cookie.c $(DIAG_OBJECTS) src/alloc.o src/conn.o src/privilege.o
	$(CC) $(ALL_CFLAGS) -Isrc $(LDFLAGS) -o $@ $^ $(LDLIBS)

bench/floor: bench/floor.c $(DIAG_OBJECTS) src/alloc.o src/conn.o src/privilege.o
	$(CC) $(ALL_CFLAGS) -Isrc $(LDFLAGS) -o $@ $^ $(LDLIBS)

# tcpdrop against ss -K and the kernel's floor, in a namespace of its own.
bench: tcpdrop bench/floor
	python3 bench/bench.py $(BENCH_ARGS)

lint:
	mandoc -Tlint -W warning tcpdrop.8

install: tcpdrop
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(COMPLETIONDIR)
	install -m 0755 tcpdrop $(DESTDIR)$(SBINDIR)/tcpdrop
	install -m 0644 tcpdrop.8 $(DESTDIR)$(MANDIR)/man8/tcpdrop.8
	install -m 0644 completion/tcpdrop.bash $(DESTDIR)$(COMPLETIONDIR)/tcpdrop

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/tcpdrop $(DESTDIR)$(MANDIR)/man8/tcpdrop.8 \
		$(DESTDIR)$(COMPLETIONDIR)/tcpdrop

clean:
	rm -f tcpdrop src/*.o $(UNIT_TESTS) tests/unit/scripted_kernel.o bench/floor \
		tests/race/stale_cookie $(FUZZ_BINARIES)

# libFuzzer harnesses of the pure parts (fuzz/fuzz_*.c), each built with
# clang and the sanitizers from the sources it exercises.  "make fuzz" runs
# each for FUZZ_SECONDS on a copy of its seed corpus in a directory of its
# own under TMPDIR, removed afterwards unless something was found;
# "make fuzz-regress" runs each once over its seeds and fuzz/regressions/.
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS := -std=gnu11 -D_GNU_SOURCE -DTCPDROP_VERSION='"$(VERSION)"' $(WARNINGS) -Isrc \
	$(MNL_CFLAGS) -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all
FUZZ_ENV := UBSAN_OPTIONS=print_stacktrace=1
# Each harness with the longest input it is given (-max_len).
FUZZ_TARGETS := operands:512 lines:512 decode:4096
FUZZ_BINARIES := fuzz/fuzz_operands fuzz/fuzz_lines fuzz/fuzz_decode

fuzz/fuzz_operands: fuzz/fuzz_operands.c fuzz/fuzz.h src/endpoint.c src/tuple.c src/conn.c src/alloc.c \
    src/*.h Makefile
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^) $(MNL_LIBS)

fuzz/fuzz_lines: fuzz/fuzz_lines.c fuzz/fuzz.h src/lines.c src/spell.c src/endpoint.c src/tuple.c \
    src/conn.c src/alloc.c src/*.h Makefile
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^) $(MNL_LIBS)

fuzz/fuzz_decode: fuzz/fuzz_decode.c fuzz/fuzz.h src/diag_message.c src/conn.c src/*.h Makefile
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^) $(MNL_LIBS)

fuzz: $(FUZZ_BINARIES)
	@for target in $(FUZZ_TARGETS); do \
		name=$${target%%:*}; \
		work=$$(mktemp -d "$${TMPDIR:-/tmp}/tcpdrop-fuzz-$$name.XXXXXX") || exit 1; \
		mkdir "$$work/corpus" && cp fuzz/corpus/$$name/* "$$work/corpus/" || exit 1; \
		echo "fuzz/fuzz_$$name: $(FUZZ_SECONDS) seconds in $$work"; \
		if $(FUZZ_ENV) fuzz/fuzz_$$name -max_total_time=$(FUZZ_SECONDS) \
		    -max_len=$${target#*:} -timeout=10 -print_final_stats=1 \
		    -artifact_prefix="$$work/" "$$work/corpus"; then \
			rm -rf "$$work"; \
		else \
			echo "fuzz/fuzz_$$name found a problem; its input is kept in $$work" >&2; \
			exit 1; \
		fi; \
	done

# Every seed and every input that once failed, run once each: for CI.
fuzz-regress: $(FUZZ_BINARIES)
	@for target in $(FUZZ_TARGETS); do \
		name=$${target%%:*}; \
		$(FUZZ_ENV) fuzz/fuzz_$$name -runs=0 fuzz/corpus/$$name fuzz/regressions/$$name || \
		    exit 1; \
	done
