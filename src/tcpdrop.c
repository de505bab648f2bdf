/*
 * What tcpdrop does, once its command line is understood: drop the one
 * connection the operands name, the connections a -f file lists, or those
 * a selection holds (-a, -s, -S, -C, -4, -6, -u, -c, -p, -I, patterns).
 */
#include "tcpdrop.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "bulk.h"
#include "diag.h"
#include "file.h"
#include "interrupt.h"
#include "named.h"
#include "netns.h"
#include "owners.h"
#include "pattern.h"
#include "report.h"
#include "run.h"
#include "select.h"
#include "tuple.h"

/* The one connection the operands name. */
static bool
drop_tuple(const struct run *run, const struct settings *settings)
{
	struct tuple tuple;
	struct operand_problem problem;
	bool ok;

	ok = tuple_name(settings->operands, settings->operand_count, &tuple, &problem);
	if (ok)
		ok = drop_named(run, &tuple.named, 1, NULL);
	else
		report_operand_problem(&problem);
	tuple_free(&tuple);
	return ok;
}

/* What a selection needs besides the settings, resolved before any walk. */
struct resolved {
	struct pattern pattern;
	struct ids cgroups;
	struct ids inodes;
};

/* The cgroups -c names, or the run ends. */
static void
cgroups_from(const char *cgroup, struct selection *selection, struct resolved *resolved)
{
	char *mount, *where;
	bool every;
	int error;

	error = owners_cgroup2_mount(&mount);
	if (error != 0)
		die_cgroup2_unknown(cgroup, error);
	error = owners_cgroup(mount, cgroup, &resolved->cgroups, &every, &where);
	if (error != 0)
		die_owner_failed('c', cgroup, where, error);
	free(where);
	free(mount);
	selection->by_cgroup = true;
	selection->cgroup = cgroup;
	if (!every) {
		selection->cgroups = resolved->cgroups.ids;
		selection->cgroup_count = resolved->cgroups.count;
	}
}

/* The settings as one selection: owners, names and patterns resolved, or the run ends. */
static void
selection_from(const struct settings *settings, struct selection *selection,
    struct resolved *resolved)
{
	struct operand_problem problem;
	char number[24];
	int error;

	*selection = (struct selection){
		.states = settings->states != 0 ? settings->states : TCP_CONNECTION_STATES,
		.ulp = settings->ulp,
		.algorithm = settings->algorithm,
		.family = settings->family,
		.by_idle = settings->by_idle,
		.idle_ms = settings->idle_seconds * 1000,
	};
	if (settings->operand_count > 0) {
		if (!pattern_parse(settings->operands, settings->operand_count, &resolved->pattern,
		    &problem)) {
			report_operand_problem(&problem);
			exit(1);
		}
		selection->pattern = &resolved->pattern;
	}
	if (settings->user != NULL) {
		error = owners_user(settings->user, &selection->uid);
		if (error != 0)
			die_owner_failed('u', settings->user, NULL, error);
		error = owners_uid_unambiguous(selection->uid);
		if (error != 0)
			die_user_ambiguous(settings->user, selection->uid, error);
		selection->by_user = true;
	}
	if (settings->cgroup != NULL)
		cgroups_from(settings->cgroup, selection, resolved);
	if (settings->pid != 0) {
		error = owners_process((pid_t)settings->pid, &resolved->inodes);
		snprintf(number, sizeof(number), "%ld", settings->pid);
		if (error != 0)
			die_owner_failed('p', number, NULL, error);
		selection->inodes = resolved->inodes.ids;
		selection->inode_count = resolved->inodes.count;
	}
}

static bool
drop_selected(const struct run *run, const struct settings *settings)
{
	struct resolved resolved = { 0 };
	struct selection selection;
	bool ok;

	selection_from(settings, &selection, &resolved);
	ok = drop_bulk(run, &selection);
	pattern_free(&resolved.pattern);
	ids_free(&resolved.cgroups);
	ids_free(&resolved.inodes);
	return ok;
}

bool
tcpdrop(const struct settings *settings)
{
	struct run run = {
		.netns = settings->netns,
		.list = settings->list,
		.cookies = settings->cookies,
	};
	bool ok;

	if (settings->list && settings->netns != NULL && !netns_listable(settings->netns))
		die_netns_unlistable(settings->netns);
	/*
	 * A reader that goes away (tcpdrop -a | head -1) must not stop the
	 * drops halfway: the write fails instead, and the end says so.  A
	 * listing is only output, and ends with its reader.
	 */
	if (!settings->list)
		interrupt_ignore_broken_pipe();
	run.diag = diag_open();
	if (run.diag == NULL)
		die_diag_failed("NETLINK_SOCK_DIAG socket", -errno);
	if (settings->file != NULL)
		ok = drop_listed(&run, settings->file);
	else if (settings_bulk(settings))
		ok = drop_selected(&run, settings);
	else
		ok = drop_tuple(&run, settings);
	diag_close(run.diag);
	if (settings->list)
		report_flush_output();
	else if (!report_reports_written())
		ok = false;
	return ok;
}
