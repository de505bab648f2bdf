/*
 * SPIKE, not part of the build or the tests: loads drop.bpf.c, makes loopback
 * connections in its own network namespace, and destroys some of them by
 * cookie with one pass of a BPF TCP iterator. It resets connections: run it
 * only inside a namespace of its own (see run.sh). See docs/ENGINES.md.
 */
#define _GNU_SOURCE
#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <err.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "drop.skel.h"

#ifndef SO_COOKIE
#define SO_COOKIE 57
#endif

static const char *states[] = {
	"0", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
	"TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING",
	"NEW_SYN_RECV", "BOUND_INACTIVE", "14", "15",
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t
cookie(int fd)
{
	uint64_t c = 0;
	socklen_t len = sizeof(c);

	if (getsockopt(fd, SOL_SOCKET, SO_COOKIE, &c, &len) == -1)
		err(1, "SO_COOKIE");
	return c;
}

static const char *
result(int r)
{
	static char buf[64];

	switch (r) {
	case 0: return "0 (destroyed)";
	case 1: return "not visited";
	case 2: return "refused: other namespace";
	case 3: return "refused: not a full socket (time-wait or request)";
	default:
		snprintf(buf, sizeof(buf), "%d (%s)", r, strerror(-r));
		return buf;
	}
}

/* One pass of the iterator over this namespace; results into res[]. */
static int
pass(const uint64_t *ck, int *res, int n, int allow_nonfull, int show_seen)
{
	struct drop_bpf *skel;
	struct bpf_link *link;
	struct stat st;
	char buf[256];
	int i, it, r;
	double t0, t1, t2;

	t0 = now();
	if ((skel = drop_bpf__open()) == NULL)
		err(1, "open");
	if (stat("/proc/self/ns/net", &st) == -1)
		err(1, "/proc/self/ns/net");
	skel->rodata->netns_ino = st.st_ino;
	skel->rodata->allow_nonfull = allow_nonfull;
	if ((r = drop_bpf__load(skel)) != 0) {
		errno = -r;
		err(1, "load");
	}
	t1 = now();
	for (i = 0; i < n; i++) {
		int v = 1;

		bpf_map__update_elem(skel->maps.targets, &ck[i], sizeof(ck[i]),
		    &v, sizeof(v), BPF_ANY);
	}
	if ((link = bpf_program__attach_iter(skel->progs.drop_by_cookie,
	    NULL)) == NULL)
		err(1, "attach_iter");
	if ((it = bpf_iter_create(bpf_link__fd(link))) < 0)
		err(1, "bpf_iter_create");
	while ((r = read(it, buf, sizeof(buf))) > 0)
		;
	if (r < 0)
		err(1, "read iterator");
	close(it);
	t2 = now();
	for (i = 0; i < n; i++)
		bpf_map__lookup_elem(skel->maps.targets, &ck[i], sizeof(ck[i]),
		    &res[i], sizeof(res[i]), 0);
	if (show_seen) {
		printf("  sockets the iterator visited:");
		for (i = 0; i < 32; i++) {
			uint32_t k = i;
			uint64_t v = 0;

			bpf_map__lookup_elem(skel->maps.seen, &k, sizeof(k),
			    &v, sizeof(v), 0);
			if (v)
				printf(" %s/%s=%llu", i < 16 ? "v4" : "v6",
				    states[i & 15], (unsigned long long)v);
		}
		printf("\n");
	}
	printf("  open+load %.3f s, pass %.3f s\n", t1 - t0, t2 - t1);
	bpf_link__destroy(link);
	drop_bpf__destroy(skel);
	return 0;
}

static void
pair(int family, int lfd, int *c, int *s)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(lfd, (struct sockaddr *)&ss, &len) == -1)
		err(1, "getsockname");
	if ((*c = socket(family, SOCK_STREAM, 0)) == -1 ||
	    connect(*c, (struct sockaddr *)&ss, len) == -1)
		err(1, "connect");
	if ((*s = accept(lfd, NULL, NULL)) == -1)
		err(1, "accept");
}

static int
listener(int family)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
	    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6,
	    .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	int fd;

	if ((fd = socket(family, SOCK_STREAM, 0)) == -1)
		err(1, "socket");
	if ((family == AF_INET ?
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) :
	    bind(fd, (struct sockaddr *)&sin6, sizeof(sin6))) == -1 ||
	    listen(fd, 8) == -1)
		err(1, "listen");
	return fd;
}

static void
show_recv(const char *who, int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char b[16];
	ssize_t n;

	(void)poll(&p, 1, 1000);
	n = recv(fd, b, sizeof(b), MSG_DONTWAIT);
	if (n < 0)
		printf("  %s recv(): -1 %s\n", who, strerror(errno));
	else
		printf("  %s recv(): %zd\n", who, n);
}

static void
ss(void)
{
	fflush(stdout);
	if (system("ss -tan | sed 's/^/    /'") == -1)
		warn("ss");
}

int
main(void)
{
	int l4, l6, c4, s4, c6, s6, tc, ts, res[4];
	uint64_t ck[4];

	setvbuf(stdout, NULL, _IOLBF, 0);
	l4 = listener(AF_INET);
	l6 = listener(AF_INET6);
	pair(AF_INET, l4, &c4, &s4);
	pair(AF_INET6, l6, &c6, &s6);
	/* A time-wait socket: the client closes first. */
	pair(AF_INET, l4, &tc, &ts);
	ck[2] = cookie(tc);
	close(tc);
	usleep(50000);
	close(ts);
	usleep(50000);
	ck[0] = cookie(c4);
	ck[1] = cookie(c6);
	ck[3] = cookie(l4);

	printf("before:\n");
	ss();

	printf("pass 1: targets v4 client, v6 client, the time-wait socket "
	    "(refused by the program)\n");
	pass(ck, res, 3, 0, 1);
	printf("  v4 client: %s\n  v6 client: %s\n  time-wait: %s\n",
	    result(res[0]), result(res[1]), result(res[2]));
	show_recv("v4 holder (destroyed end)", c4);
	show_recv("v4 peer", s4);
	show_recv("v6 holder (destroyed end)", c6);
	show_recv("v6 peer", s6);
	ss();

	printf("pass 2: the time-wait socket, with the program's refusal off\n");
	pass(&ck[2], &res[2], 1, 1, 0);
	printf("  time-wait: %s\n", result(res[2]));
	ss();

	printf("pass 3: a socket destroyed already (v4 client again)\n");
	pass(ck, res, 1, 0, 0);
	printf("  v4 client again: %s\n", result(res[0]));
	return 0;
}
