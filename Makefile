# tcpdrop: drop TCP connections (Linux).
VERSION := 1.0.0
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
DESTDIR ?=

CC ?= cc
PKG_CONFIG ?= pkg-config
MNL_CFLAGS := $(shell $(PKG_CONFIG) --cflags libmnl)
MNL_LIBS := $(shell $(PKG_CONFIG) --libs libmnl)
CFLAGS ?= -O2 -g
WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
ALL_CFLAGS := -std=gnu11 -D_GNU_SOURCE -DTCPDROP_VERSION='"$(VERSION)"' $(WARNINGS) $(MNL_CFLAGS) $(CFLAGS)
LDLIBS := $(MNL_LIBS)

# Everything but main.c: the unit tests link against it too.
LIB_SOURCES := src/conn.c src/diag.c src/drop.c src/endpoint.c src/file.c src/lines.c src/named.c src/netns.c src/options.c \
	src/report.c src/states.c src/tuple.c
LIB_OBJECTS := $(LIB_SOURCES:.c=.o)
UNIT_SOURCES := $(wildcard tests/unit/test_*.c)
UNIT_TESTS := $(UNIT_SOURCES:.c=)

.PHONY: all check unit integration clean install uninstall lint bench

all: tcpdrop

tcpdrop: src/main.o $(LIB_OBJECTS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

src/%.o: src/%.c src/*.h Makefile
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

tests/unit/%: tests/unit/%.c tests/unit/unit.h $(LIB_OBJECTS)
	$(CC) $(ALL_CFLAGS) -Isrc $(LDFLAGS) -o $@ $< $(LIB_OBJECTS) $(LDLIBS)

# The drop logic against a scripted kernel: libmnl's I/O is wrapped.
tests/unit/test_drop: tests/unit/test_drop.c tests/unit/unit.h $(LIB_OBJECTS)
	$(CC) $(ALL_CFLAGS) -Isrc $(LDFLAGS) -Wl,--wrap=mnl_socket_sendto \
		-Wl,--wrap=mnl_socket_recvfrom -Wl,--wrap=recvmmsg -o $@ $< $(LIB_OBJECTS) $(LDLIBS)

unit: $(UNIT_TESTS)

# The whole suite: unit tests, then the integration tests, each in
# network namespaces of its own.  The last line reads "N passed, M failed".
check: tcpdrop unit
	tests/run

bench/floor: bench/floor.c src/diag.o src/conn.o
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
	rm -f tcpdrop src/*.o $(UNIT_TESTS) bench/floor
