/*
 * A name that no connection can use matches nothing, silently: a typo in
 * -C or -S would drop nothing and exit 0.  So the name is checked against
 * what the kernel has registered, which every connection's algorithm and
 * upper layer protocol must be.
 */
#include "offered.h"

#include "alloc.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "privilege.h"
#include "report.h"

bool
offered_in(const char *list, const char *name)
{
	size_t length = strlen(name);

	for (const char *word = list; *word != '\0';) {
		size_t blanks = strspn(word, " \t\n"), size;

		word += blanks;
		size = strcspn(word, " \t\n");
		if (size == length && size > 0 && strncmp(word, name, length) == 0)
			return true;
		word += size;
	}
	return false;
}

char *
offered_read(const char *path)
{
	FILE *file = fopen(path, "re");
	char *line = NULL;
	size_t size = 0;
	ssize_t length;

	if (file == NULL)
		return NULL;
	length = getline(&line, &size, file);
	/* A kernel that offers none writes nothing at all (5.10 without MPTCP). */
	if (length < 0 && !ferror(file)) {
		free(line);
		line = xstrdup("");
		length = 0;
	}
	fclose(file);
	if (length < 0) {
		free(line);
		return NULL;
	}
	line[strcspn(line, "\n")] = '\0';
	return line;
}

/*
 * Is an upper layer protocol of this name registered?  1 if it is, 0 if
 * not, -1 if the question cannot be asked.  The kernel lists them only in
 * its first network namespace, but attaches one to any TCP socket in any:
 * on a socket of our own, ENOENT means there is no such protocol, and any
 * other answer (ENOTCONN: "tls" wants a connection; EOPNOTSUPP: "mptcp"
 * takes only the kernel's own subflows) that there is.  With CAP_NET_ADMIN
 * in effect the kernel would load a module of that name first: the
 * question is asked without it, so that nothing is loaded, as the list in
 * the first namespace shows only what is loaded.
 */
static int
ulp_registered(const char *name)
{
	struct privilege privilege;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP), result, error;

	if (fd < 0)
		fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
	if (fd < 0)
		return -1;
	if (!privilege_lower(&privilege)) {
		close(fd);
		return -1;
	}
	result = setsockopt(fd, IPPROTO_TCP, TCP_ULP, name, strlen(name));
	error = errno;
	if (!privilege_restore(&privilege))
		die_privilege_lost();
	close(fd);
	return result == 0 || error != ENOENT;
}

static void
check(char option, const char *name, const char *path)
{
	char *list;

	if (name == NULL)
		return;
	list = offered_read(path);
	if (list == NULL) {
		if (option == 'S' && ulp_registered(name) == 0)
			report_not_offered(option, name, NULL);
		return;
	}
	if (!offered_in(list, name))
		report_not_offered(option, name, list);
	free(list);
}

void
offered_check(const char *ulp, const char *algorithm)
{
	check('S', ulp, OFFERED_ULPS);
	check('C', algorithm, OFFERED_ALGORITHMS);
}
