/*
 * What tcpdrop does, once its command line is understood: drop the one
 * connection the operands name, the connections a -f file lists, or in
 * bulk (-a, -s, -S, -C).
 */
#include "tcpdrop.h"

#include <errno.h>

#include "bulk.h"
#include "diag.h"
#include "file.h"
#include "named.h"
#include "netns.h"
#include "report.h"
#include "tuple.h"

/* The one connection the operands name. */
static bool
drop_tuple(const struct settings *settings, struct diag *diag)
{
	struct tuple tuple;
	struct tuple_problem problem;
	bool ok;

	ok = tuple_name(settings->operands, settings->operand_count, &tuple, &problem);
	if (ok)
		ok = drop_named(diag, &tuple.named, 1, NULL, settings->netns);
	else
		report_tuple_problem(&problem);
	tuple_free(&tuple);
	return ok;
}

bool
tcpdrop(const struct settings *settings)
{
	struct diag *diag;
	bool ok;

	if (settings->list && settings->netns != NULL && !netns_listable(settings->netns))
		report_netns_unlistable(settings->netns);
	diag = diag_open();
	if (diag == NULL)
		report_diag_failed("NETLINK_SOCK_DIAG socket", -errno);
	if (settings->file != NULL)
		ok = drop_listed(settings->file, settings->netns, diag);
	else if (settings_bulk(settings))
		ok = drop_bulk(settings, diag);
	else
		ok = drop_tuple(settings, diag);
	diag_close(diag);
	report_flush_output();
	return ok;
}
