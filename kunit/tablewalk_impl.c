// SPDX-License-Identifier: GPL-2.0
/* mod/tablewalk.c, built into xtcp_kunit.ko for the tests (see kunit/Kbuild). */
#include "../mod/tablewalk.c"
