/* Users, cgroups and processes to what the kernel records of a socket's owner. */
#include "owners.h"

#include "alloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

int
owners_user(const char *name, uint32_t *uid)
{
	const struct passwd *user;
	size_t digits = strspn(name, "0123456789");

	if (digits > 0 && name[digits] == '\0') {
		unsigned long long number;

		errno = 0;
		number = strtoull(name, NULL, 10);
		/* (uid_t)-1 is no user: it means "unchanged" to the kernel. */
		if (errno != 0 || digits > 10 || number >= UINT32_MAX)
			return OWNERS_NO_SUCH_USER;
		*uid = (uint32_t)number;
		return 0;
	}
	errno = 0;
	user = getpwnam(name);
	if (user == NULL)
		return errno == 0 || errno == ENOENT || errno == ESRCH || errno == EBADF ||
		    errno == EPERM ? OWNERS_NO_SUCH_USER : -errno;
	*uid = (uint32_t)user->pw_uid;
	return 0;
}

/*
 * Does this process's user namespace map every user?  The initial one does
 * ("0 0 4294967295"), and so may another; the kernel never maps two users
 * to one, so the counts of the ranges add up to every uid but (uid_t)-1
 * only if every one is mapped.  Returns 0, or the negative errno of reading the map.
 */
static int
maps_every_user(bool *every)
{
	FILE *map = fopen(OWNERS_UID_MAP, "re");
	unsigned long long inside, outside, count, total = 0;
	int error = 0;

	*every = false;
	if (map == NULL)
		return -errno;
	while (fscanf(map, "%llu %llu %llu", &inside, &outside, &count) == 3)
		total += count;
	if (ferror(map))
		error = errno != 0 ? -errno : -EIO;
	fclose(map);
	*every = error == 0 && total >= UINT32_MAX;
	return error;
}

/* The uid the kernel shows for a user a namespace does not map: 65534, unless changed. */
static uint32_t
overflow_uid(void)
{
	FILE *file = fopen("/proc/sys/kernel/overflowuid", "re");
	unsigned long value = 65534;

	if (file != NULL) {
		if (fscanf(file, "%lu", &value) != 1 || value > UINT32_MAX)
			value = 65534;
		fclose(file);
	}
	return (uint32_t)value;
}

int
owners_uid_unambiguous(uint32_t uid)
{
	bool every;
	int error;

	if (uid != overflow_uid())
		return 0;
	error = maps_every_user(&every);
	if (error != 0)
		return error;
	return every ? 0 : OWNERS_OVERFLOW_UID;
}

/* A mountinfo field with its octal escapes ("\040" for a space) undone, in place. */
static void
unescape(char *field)
{
	char *out = field;

	for (char *in = field; *in != '\0'; out++) {
		if (in[0] == '\\' && in[1] >= '0' && in[1] <= '3' && in[2] >= '0' && in[2] <= '7' &&
		    in[3] >= '0' && in[3] <= '7') {
			*out = (char)((in[1] - '0') * 64 + (in[2] - '0') * 8 + (in[3] - '0'));
			in += 4;
		} else {
			*out = *in++;
		}
	}
	*out = '\0';
}

int
owners_cgroup2_mount(char **mount)
{
	FILE *mounts = fopen(OWNERS_MOUNT_TABLE, "re");
	char *line = NULL;
	size_t size = 0;
	int error = OWNERS_NO_CGROUP2;

	*mount = NULL;
	if (mounts == NULL)
		return -errno;
	while (error == OWNERS_NO_CGROUP2 && getline(&line, &size, mounts) > 0) {
		char *fields[5], *rest = line, *separator = strstr(line, " - ");
		int i;

		if (separator == NULL || strncmp(separator + 3, "cgroup2 ", 8) != 0)
			continue;
		for (i = 0; i < 5 && (fields[i] = strsep(&rest, " ")) != NULL; i++)
			;
		if (i == 5) {
			unescape(fields[4]);
			*mount = xstrdup(fields[4]);
			error = 0;
		}
	}
	/* A table that could not be read to its end may list cgroup2 further on. */
	if (error == OWNERS_NO_CGROUP2 && ferror(mounts))
		error = errno != 0 ? -errno : -EIO;
	free(line);
	fclose(mounts);
	return error;
}

/* The id the kernel gives a cgroup: its file handle on cgroup2, which is its inode number. */
static uint64_t
cgroup_id(int fd, const struct stat *status)
{
	union {
		struct file_handle handle;
		char space[sizeof(struct file_handle) + sizeof(uint64_t)];
	} id = { .handle.handle_bytes = sizeof(uint64_t) };
	int mount;
	uint64_t value;

	if (name_to_handle_at(fd, "", &id.handle, &mount, AT_EMPTY_PATH) == 0 &&
	    id.handle.handle_bytes == sizeof(uint64_t)) {
		memcpy(&value, id.handle.f_handle, sizeof(value));
		return value;
	}
	return (uint64_t)status->st_ino;
}

/*
 * The id of the root of the whole cgroup2 hierarchy: the kernel numbers a
 * hierarchy's directories from 1, and where inode numbers are 32 bits wide
 * it puts a generation, which starts at 1, in the upper half.
 */
static bool
is_hierarchy_root(uint64_t id)
{
	return id == 1 || id == ((uint64_t)1 << 32 | 1);
}

static int collect_cgroups(int directory, const char *name, struct ids *ids);

/* The cgroups under the directory, which is closed. */
static int
collect_under(int fd, struct ids *ids)
{
	struct dirent *entry;
	DIR *listing = fdopendir(fd);
	int error = 0;

	if (listing == NULL) {
		error = -errno;
		close(fd);
		return error;
	}
	while (error == 0 && (entry = readdir(listing)) != NULL)
		if (entry->d_type == DT_DIR && strcmp(entry->d_name, ".") != 0 &&
		    strcmp(entry->d_name, "..") != 0)
			error = collect_cgroups(dirfd(listing), entry->d_name, ids);
	closedir(listing);
	return error;
}

/* The cgroup at directory/name and every one under it. */
static int
collect_cgroups(int directory, const char *name, struct ids *ids)
{
	struct stat status;
	int fd, error;

	fd = openat(directory, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &status) < 0) {
		error = -errno;
		close(fd);
		return error;
	}
	ids_add(ids, cgroup_id(fd, &status));
	return collect_under(fd, ids);
}

/*
 * The cgroup at the directory and those under it, or, for the root of the
 * whole hierarchy, every cgroup (*every, and no ids): a socket keeps the id
 * of a cgroup removed after it was made, which no directory has any more,
 * and only the root can be said to hold it.
 */
static int
collect_named(const char *where, struct ids *ids, bool *every)
{
	struct stat status;
	int fd, error;

	fd = open(where, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &status) < 0) {
		error = -errno;
	} else {
		uint64_t id = cgroup_id(fd, &status);

		*every = is_hierarchy_root(id);
		error = 0;
		if (!*every) {
			ids_add(ids, id);
			return collect_under(fd, ids);
		}
	}
	close(fd);
	return error;
}

int
owners_cgroup(const char *mount, const char *path, struct ids *ids, bool *every, char **where)
{
	struct statfs filesystem;
	int error;

	*where = NULL;
	*every = false;
	memset(ids, 0, sizeof(*ids));
	while (*path == '/')
		path++;
	*where = xasprintf("%s%s%s", mount, *path != '\0' ? "/" : "", path);
	if (statfs(*where, &filesystem) < 0)
		return -errno;
	if (filesystem.f_type != CGROUP2_SUPER_MAGIC)
		return OWNERS_NOT_A_CGROUP;
	error = collect_named(*where, ids, every);
	/* Sorted, and allocated even when empty: an empty set still selects (nothing). */
	if (error == 0)
		ids_sort(ids);
	if (error == -ENOTDIR)
		error = OWNERS_NOT_A_CGROUP;
	return error;
}

int
owners_process(pid_t pid, struct ids *ids)
{
	char path[64], target[64];
	struct dirent *entry;
	DIR *listing;

	memset(ids, 0, sizeof(*ids));
	snprintf(path, sizeof(path), "/proc/%ld/fd", (long)pid);
	listing = opendir(path);
	if (listing == NULL) {
		int error = -errno;

		/* Without /proc, every process is missing from it: that is not "No such process". */
		return error == -ENOENT && access("/proc/self", F_OK) < 0 ? OWNERS_NO_PROC : error;
	}
	while ((entry = readdir(listing)) != NULL) {
		ssize_t length = readlinkat(dirfd(listing), entry->d_name, target,
		    sizeof(target) - 1);
		unsigned long long inode;
		char end;

		if (length <= 0)
			continue;
		target[length] = '\0';
		if (sscanf(target, "socket:[%llu%c", &inode, &end) == 2 && end == ']')
			ids_add(ids, inode);
	}
	closedir(listing);
	ids_sort(ids);
	return 0;
}
