// SPDX-License-Identifier: GPL-2.0
/* mod/cc_cubic.c, built into xtcp_kunit.ko for the tests (see kunit/Kbuild). */
#include "../mod/cc_cubic.c"
