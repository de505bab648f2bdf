/*
 * A drop batch in flight is never cut in half: the signal is noted, the
 * batch ends and is reported, and the run stops there.
 */
#include "interrupt.h"

#include <signal.h>
#include <stddef.h>
#include <unistd.h>

#include "report.h"

static volatile sig_atomic_t caught;

/*
 * A second signal is not waited on: a run stuck writing to a pipe nobody
 * reads (writes restart) must still be killable.
 */
static void
note(int signal_number)
{
	if (caught != 0) {
		signal(signal_number, SIG_DFL);
		raise(signal_number);
	}
	caught = signal_number;
}

void
interrupt_watch(void)
{
	static const int watched[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction action = { .sa_handler = note, .sa_flags = SA_RESTART };

	sigemptyset(&action.sa_mask);
	for (size_t i = 0; i < sizeof(watched) / sizeof(watched[0]); i++) {
		struct sigaction before;

		/* A signal ignored by whoever started us (nohup, "&") stays ignored. */
		if (sigaction(watched[i], NULL, &before) == 0 && before.sa_handler == SIG_IGN)
			continue;
		(void)sigaction(watched[i], &action, NULL);
	}
}

void
interrupt_ignore_broken_pipe(void)
{
	signal(SIGPIPE, SIG_IGN);
}

bool
interrupted(void)
{
	return caught != 0;
}

_Noreturn void
die_interrupted(const char *what)
{
	int signal_number = caught;
	sigset_t only;

	report_interrupted(signal_number, what);
	signal(signal_number, SIG_DFL);
	sigemptyset(&only);
	sigaddset(&only, signal_number);
	(void)sigprocmask(SIG_UNBLOCK, &only, NULL);
	raise(signal_number);
	/* A signal that is blocked or ignored by whoever started us. */
	_exit(128 + signal_number);
}
