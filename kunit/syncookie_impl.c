// SPDX-License-Identifier: GPL-2.0
/* mod/syncookie.c, built into xtcp_kunit.ko for the tests (see kunit/Kbuild). */
#include "../mod/syncookie.c"
