/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The address family number xtcp registered, for the selftest tools: read
 * from sysfs so that a "family=" module parameter is followed, AF_XTCP if
 * the module is not loaded.
 */
#ifndef _SELFTESTS_XTCP_FAMILY_H
#define _SELFTESTS_XTCP_FAMILY_H

#include <stdio.h>
#include "../include/uapi/linux/xtcp.h"

static inline int xtcp_family(void)
{
	FILE *f = fopen(XTCP_FAMILY_PATH, "r");
	int fam = AF_XTCP;

	if (f) {
		if (fscanf(f, "%d", &fam) != 1)
			fam = AF_XTCP;
		fclose(f);
	}
	return fam;
}

#endif /* _SELFTESTS_XTCP_FAMILY_H */
