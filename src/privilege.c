#include "privilege.h"

#include <errno.h>
#include <stddef.h>
#include <sys/capability.h>

bool
privilege_lower(struct privilege *privilege)
{
	const cap_value_t net_admin[] = { CAP_NET_ADMIN };
	cap_flag_value_t effective = CAP_CLEAR;
	cap_t saved = cap_get_proc(), lowered = NULL;
	int error;

	privilege->saved = NULL;
	if (saved == NULL)
		return false;
	if (cap_get_flag(saved, CAP_NET_ADMIN, CAP_EFFECTIVE, &effective) < 0 ||
	    effective == CAP_CLEAR) {
		cap_free(saved);
		return true;
	}
	lowered = cap_dup(saved);
	if (lowered == NULL || cap_set_flag(lowered, CAP_EFFECTIVE, 1, net_admin, CAP_CLEAR) < 0 ||
	    cap_set_proc(lowered) < 0) {
		error = errno;
		cap_free(lowered);
		cap_free(saved);
		errno = error;
		return false;
	}
	cap_free(lowered);
	privilege->saved = saved;
	return true;
}

bool
privilege_restore(struct privilege *privilege)
{
	int error = 0;

	if (privilege->saved == NULL)
		return true;
	if (cap_set_proc(privilege->saved) < 0)
		error = errno;
	cap_free(privilege->saved);
	privilege->saved = NULL;
	errno = error;
	return error == 0;
}
