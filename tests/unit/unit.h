/*
 * A minimal unit test harness: each check prints one TAP line, and the
 * binary exits non-zero if any failed.  tests/run counts the lines.
 */
#ifndef TCPDROP_UNIT_H
#define TCPDROP_UNIT_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int unit_checks, unit_failures;

static inline void
unit_report(bool ok, const char *name, const char *file, int line)
{
	unit_checks++;
	if (!ok)
		unit_failures++;
	printf("%sok %d - %s\n", ok ? "" : "not ", unit_checks, name);
	if (!ok)
		printf("# failed at %s:%d\n", file, line);
}

#define CHECK(condition, name) unit_report((condition), (name), __FILE__, __LINE__)
#define CHECK_STR(actual, expected, name)                                            \
	do {                                                                         \
		const char *a_ = (actual), *e_ = (expected);                          \
		bool ok_ = (a_ == NULL && e_ == NULL) ||                              \
		    (a_ != NULL && e_ != NULL && strcmp(a_, e_) == 0);                \
		unit_report(ok_, (name), __FILE__, __LINE__);                         \
		if (!ok_)                                                            \
			printf("# got '%s', want '%s'\n", a_ ? a_ : "(null)",        \
			    e_ ? e_ : "(null)");                                     \
	} while (0)

/* A check this machine cannot make, and why: tests/run counts it as skipped. */
static inline void
unit_skip(const char *name, const char *reason)
{
	unit_checks++;
	printf("ok %d - %s # skip %s\n", unit_checks, name, reason);
}

static inline int
unit_done(void)
{
	return unit_failures == 0 ? 0 : 1;
}

#endif
