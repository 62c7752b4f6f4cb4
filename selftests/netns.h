/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entering a network namespace from a selftest tool, so that a script
 * need not start "ip netns exec" (a process more: slow in the test
 * kernel) in front of it.
 */
#ifndef _SELFTESTS_NETNS_H
#define _SELFTESTS_NETNS_H

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Enter /run/netns/@name, or @name if it is a path; exit 1 if we cannot. */
static inline void enter_netns(const char *prog, const char *name)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s%s", strchr(name, '/') ? "" :
		 "/run/netns/", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
		fprintf(stderr, "%s: netns %s: %s\n", prog, path,
			strerror(errno));
		exit(1);
	}
	close(fd);
}

#endif /* _SELFTESTS_NETNS_H */
