/* Destroying, then looking again where the kernel's word is not enough. */
#include "destroy.h"

#include <stdlib.h>

#include "outcome.h"
#include "report.h"

int
destroy_checked(struct diag *diag, const struct conn *conns, size_t count, int *results)
{
	int error = diag_destroy(diag, conns, count, results);
	size_t *index = NULL, suspects = 0;
	struct conn *wanted = NULL, *found = NULL;
	int *looked = NULL;

	/* Only a socket no process holds can be an orphan. */
	for (size_t i = 0; i < count; i++)
		if (results[i] == 0 && conns[i].orphan)
			suspects++;
	if (suspects == 0)
		return error;
	index = calloc(suspects, sizeof(*index));
	wanted = calloc(suspects, sizeof(*wanted));
	found = calloc(suspects, sizeof(*found));
	looked = calloc(suspects, sizeof(*looked));
	if (index == NULL || wanted == NULL || found == NULL || looked == NULL)
		report_out_of_memory();
	suspects = 0;
	for (size_t i = 0; i < count; i++) {
		if (results[i] == 0 && conns[i].orphan) {
			index[suspects] = i;
			wanted[suspects++] = conns[i];
		}
	}
	/*
	 * The lookup carries the cookie: a destroyed socket is not found, and
	 * a newer one with the same addresses and ports is not the same.
	 */
	if (diag_lookup(diag, wanted, suspects, found, looked) == 0) {
		for (size_t j = 0; j < suspects; j++)
			if (looked[j] == 0 && found[j].cookie == wanted[j].cookie)
				results[index[j]] = DESTROY_KEPT;
	}
	free(index);
	free(wanted);
	free(found);
	free(looked);
	return error;
}
