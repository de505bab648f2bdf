/*
 * SPIKE, not part of the build or the tests: what connect(AF_UNSPEC) on a
 * socket duplicated with pidfd_getfd(2) does to a TCP connection, per state.
 * See docs/ENGINES.md. It resets connections: run it only inside a network
 * namespace of its own, as root:
 *
 *	cc -O2 -Wall -o /tmp/pidfd_disconnect tests/spike/pidfd_disconnect.c
 *	unshare -n sh -c 'ip link set lo up && /tmp/pidfd_disconnect'
 *
 * For each case a child process (the "holder") keeps one end of a loopback
 * connection; the parent holds the other end (the "peer") and the listener.
 * The parent duplicates the holder's socket with pidfd_open + pidfd_getfd,
 * checks it by SO_COOKIE, runs connect(AF_UNSPEC) on the duplicate, closes
 * it, then tells what the peer and the holder see and what ss shows.
 */
#define _GNU_SOURCE
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef SO_COOKIE
#define SO_COOKIE 57
#endif

enum setup {
	EST,		/* both ESTABLISHED */
	EST_UNREAD,	/* holder has unread data in its receive queue */
	EST_BLOCKED,	/* holder blocked in recv() during the disconnect */
	CLOSE_WAIT_H,	/* peer sent FIN: holder in CLOSE_WAIT */
	FIN_WAIT2_H,	/* holder sent FIN: holder in FIN_WAIT2 */
	SYN_SENT_H,	/* holder's connect() unanswered: accept queue full */
	LISTENER,	/* the holder's fd is a listener */
	NOT_PTRACEABLE,	/* pidfd_getfd as uid 65534 against a root holder */
};

static const char *names[] = {
	"ESTABLISHED", "ESTABLISHED with unread data",
	"ESTABLISHED, holder blocked in recv()", "holder in CLOSE_WAIT",
	"holder in FIN_WAIT2", "holder in SYN_SENT", "LISTEN (the holder's listener)",
	"ESTABLISHED, caller uid 65534 (no ptrace access)",
};

static const char *
errname(int e)
{
	static char buf[64];

	switch (e) {
	case 0: return "0";
	case ECONNRESET: return "ECONNRESET";
	case ECONNABORTED: return "ECONNABORTED";
	case ENOTCONN: return "ENOTCONN";
	case EPIPE: return "EPIPE";
	case EAGAIN: return "EAGAIN";
	case EPERM: return "EPERM";
	case EBUSY: return "EBUSY";
	case EINVAL: return "EINVAL";
	case ECONNREFUSED: return "ECONNREFUSED";
	default:
		snprintf(buf, sizeof(buf), "errno %d (%s)", e, strerror(e));
		return buf;
	}
}

static void
show_recv(const char *who, int fd, int flags)
{
	char buf[64];
	ssize_t n;

	n = recv(fd, buf, sizeof(buf), flags);
	if (n < 0)
		printf("  %s recv(): -1 %s\n", who, errname(errno));
	else
		printf("  %s recv(): %zd\n", who, n);
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

static void
ss(void)
{
	fflush(stdout);
	/* Everything in this namespace; CLOSE sockets are in no hash ss reads. */
	if (system("ss -tan | sed 's/^/    /'") == -1)
		warn("ss");
}

static void
waitfor(int fd, short ev)
{
	struct pollfd p = { .fd = fd, .events = ev };

	(void)poll(&p, 1, 1000);
}

static void
run(enum setup s)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct sockaddr sa_unspec = { .sa_family = AF_UNSPEC };
	socklen_t len = sizeof(sin);
	int lfd, cfd, pfd, ready[2], go[2], pidfd, dup, rc, one = 1;
	char c = 0;
	pid_t pid;

	printf("== %s\n", names[s]);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((lfd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		err(1, "socket");
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(lfd, 8) == -1 ||
	    getsockname(lfd, (struct sockaddr *)&sin, &len) == -1)
		err(1, "listener");
	if ((cfd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		err(1, "socket");
	if (connect(cfd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		err(1, "connect");
	if (s == SYN_SENT_H) {
		/*
		 * listen(8) queues 9; fill the accept queue so that the
		 * holder's SYN is dropped and it stays in SYN_SENT.
		 */
		int i, f;

		for (i = 0; i < 9; i++) {
			f = socket(AF_INET, SOCK_STREAM, 0);
			(void)connect(f, (struct sockaddr *)&sin, sizeof(sin));
		}
		pfd = cfd;
		cfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		rc = connect(cfd, (struct sockaddr *)&sin, sizeof(sin));
		printf("  holder's connect(): %d %s\n", rc,
		    rc == -1 ? errname(errno) : "");
		usleep(50000);
		printf("  ss -tan state syn-sent before:\n");
		fflush(stdout);
		(void)system("ss -tan state syn-sent | sed 's/^/    /'");
	} else if ((pfd = accept(lfd, NULL, NULL)) == -1)
		err(1, "accept");

	if (s == EST_UNREAD)
		(void)send(pfd, "data", 4, 0);
	if (s == CLOSE_WAIT_H) {
		shutdown(pfd, SHUT_WR);
		waitfor(cfd, POLLIN);
	}
	if (s == FIN_WAIT2_H) {
		shutdown(cfd, SHUT_WR);
		waitfor(pfd, POLLIN);
	}
	usleep(50000);

	if (pipe(ready) == -1 || pipe(go) == -1)
		err(1, "pipe");
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		/* The holder: keeps cfd (or the listener), nothing else. */
		int held = s == LISTENER ? lfd : cfd;

		close(pfd);
		if (s != LISTENER)
			close(lfd);
		printf("  holder pid %d fd %d cookie %llu\n", getpid(), held,
		    (unsigned long long)cookie(held));
		fflush(stdout);
		(void)write(ready[1], &held, sizeof(held));
		if (s == EST_BLOCKED) {
			show_recv("holder (blocked, woken by the disconnect)",
			    held, 0);
		}
		(void)read(go[0], &c, 1);
		if (s == LISTENER) {
			int a;

			a = accept4(held, NULL, NULL, SOCK_NONBLOCK);
			printf("  holder accept() on its listener: %d %s\n",
			    a, a == -1 ? errname(errno) : "");
			_exit(0);
		}
		show_recv("holder", held, MSG_DONTWAIT);
		show_recv("holder (again)", held, MSG_DONTWAIT);
		/* Left in CLOSE and bound: may it connect again? */
		rc = connect(held, (struct sockaddr *)&sin, sizeof(sin));
		printf("  holder connect() again: %d %s\n", rc,
		    rc == -1 ? errname(errno) : "(reusable)");
		fflush(stdout);
		_exit(0);
	}
	close(cfd);
	{
		int held;

		(void)read(ready[0], &held, sizeof(held));
		if (s == EST_BLOCKED)
			usleep(200000);	/* let the holder block in recv() */
		pidfd = syscall(SYS_pidfd_open, pid, 0);
		if (pidfd == -1)
			err(1, "pidfd_open");
		if (s == NOT_PTRACEABLE) {
			pid_t p2 = fork();

			if (p2 == 0) {
				if (setgid(65534) == -1 || setuid(65534) == -1)
					err(1, "setuid");
				dup = syscall(SYS_pidfd_getfd, pidfd, held, 0);
				printf("  pidfd_getfd as uid 65534: %d %s\n",
				    dup, dup == -1 ? errname(errno) : "");
				fflush(stdout);
				_exit(0);
			}
			waitpid(p2, NULL, 0);
			(void)write(go[1], &c, 1);
			waitpid(pid, NULL, 0);
			close(pfd);
			close(lfd);
			printf("\n");
			return;
		}
		dup = syscall(SYS_pidfd_getfd, pidfd, held, 0);
		if (dup == -1)
			err(1, "pidfd_getfd");
		printf("  duplicate fd %d cookie %llu\n", dup,
		    (unsigned long long)cookie(dup));
		rc = connect(dup, &sa_unspec, sizeof(sa_unspec));
		printf("  connect(AF_UNSPEC) on the duplicate: %d %s\n", rc,
		    rc == -1 ? errname(errno) : "");
		close(dup);
		close(pidfd);
	}
	if (s == LISTENER) {
		/* A client that connects now: refused, the listener is gone. */
		int t = socket(AF_INET, SOCK_STREAM, 0);

		rc = connect(t, (struct sockaddr *)&sin, sizeof(sin));
		printf("  new client connect() to the port: %d %s\n", rc,
		    rc == -1 ? errname(errno) : "");
		close(t);
	} else {
		waitfor(pfd, POLLIN);
		show_recv("peer", pfd, MSG_DONTWAIT);
		show_recv("peer (again)", pfd, MSG_DONTWAIT);
		/* In SYN_SENT "peer" is only a filler connection. */
		rc = send(pfd, "x", 1, MSG_DONTWAIT);
		printf("  peer send(): %d %s\n", rc,
		    rc == -1 ? errname(errno) : "");
	}
	printf("  ss -tan after:\n");
	ss();
	(void)write(go[1], &c, 1);
	waitpid(pid, NULL, 0);
	close(pfd);
	close(lfd);
	close(ready[0]); close(ready[1]); close(go[0]); close(go[1]);
	printf("\n");
}

int
main(void)
{
	enum setup s;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	for (s = EST; s <= NOT_PTRACEABLE; s++)
		run(s);
	return 0;
}
