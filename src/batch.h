/* How many connections tcpdrop takes at a time, all in one place, with why. */
#ifndef TCPDROP_BATCH_H
#define TCPDROP_BATCH_H

enum {
	/*
	 * Bulk drops destroy while the kernel lists, this many per batch:
	 * enough that a system call serves many, few enough that memory
	 * stays flat and reports come steadily.
	 */
	BATCH_DESTROYS = 1024,
	/*
	 * A bulk drop's first walk collects up to this many connections and
	 * destroys them when it is done, so that one walk is enough for a
	 * selection of a few; past it, it destroys as it walks, and walks
	 * again for what that made it skip.
	 */
	BATCH_COLLECT_MOST = 4096,
	/* -f resolves, looks up and drops this many lines together. */
	BATCH_LINES = 4096,
	/*
	 * A list of lookups or destroys at least this long is split over two
	 * sockets in two threads: the kernel works in the sender's thread.
	 * A thread costs tens of microseconds, this many destroys a
	 * millisecond or more (a bulk drop's batches, 1,000 selected).
	 */
	BATCH_SPLIT_LEAST = 256,
	/*
	 * Requests sent in one system call: as many as the receive buffer
	 * has room for the answers to, within these bounds.
	 */
	BATCH_REQUESTS_MOST = 2048,
	BATCH_REQUESTS_LEAST = 16,
};

#endif
