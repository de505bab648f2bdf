/* What a destroy's answer means for the connection it was about. */
#ifndef TCPDROP_OUTCOME_H
#define TCPDROP_OUTCOME_H

#include "conn.h"

enum outcome {
	OUTCOME_DROPPED,	/* the kernel destroyed it */
	OUTCOME_GONE,		/* gone before its destroy: its other end took it, or it closed */
	OUTCOME_FAILED,		/* this connection could not be dropped */
	OUTCOME_FATAL,		/* no connection can be: no privilege, no SOCK_DESTROY */
};

/*
 * A destroy the kernel answered with success, of a connection it still
 * holds (destroy_checked() looked again): not dropped.
 */
#define DESTROY_KEPT (-0x10000)
/*
 * A destroy refused (a kernel before 6.0) because the connection had closed
 * into TIME_WAIT since it was listed: a failure where TIME_WAIT was asked
 * for, else gone by itself.
 */
#define DESTROY_NOW_TIME_WAIT (-0x10001)

/* The outcome of the kernel's answer (0 or a negative errno) to destroying conn. */
enum outcome outcome_of_destroy(const struct conn *conn, int answer);

#endif
