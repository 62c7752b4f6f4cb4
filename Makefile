# SPDX-License-Identifier: GPL-2.0
#
# xtcp: an alternate TCP for Linux, as a loadable kernel module.
#
#   make                 build mod/xtcp.ko for the running kernel (KDIR),
#                        tools/xss (xtcp's sockets, as ss lists them)
#                        and tools/libxtcp-preload.so
#   make tools           only the tools (no kernel tree needed)
#   make install         install it into /lib/modules/<release>/updates,
#                        run depmod, install <linux/xtcp.h>; DESTDIR=
#                        stages both for a package; the preload library
#                        and xtcp-run go to /usr/local/lib and bin
#   make demo            build and boot the UML test kernel, show xtcp live
#   make check           install what is missing, build, run every test
#   make bench           xtcp against Linux TCP: throughput, rates, memory,
#                        on the benchmark kernel (BENCH_KERNEL=debug: the
#                        debug test kernel)
#   make fuzz            the segment fuzzer as a soak (XTCP_FUZZ_SEGS=N or
#                        XTCP_FUZZ_SECS=S; 10^6 segments by default)
#   make uml             build the UML test kernel (cached) and xtcp.ko for it
#   make checkpatch      kernel style on our C sources
#   make distro-build    build against Debian's 6.1 and 6.12 headers, and
#                        with dkms, in scratch copies
#   make clean

KDIR ?= /lib/modules/$(shell uname -r)/build
DESTDIR ?=

.PHONY: all modules tools install uml check demo bench table-bench fuzz \
	checkpatch distro-build clean

all: tools modules

# xss, and the LD_PRELOAD library that puts unmodified programs on xtcp.
tools: tools/xss tools/libxtcp-preload.so

tools/xss: tools/xss.c
	$(CC) -Wall -Wextra -O2 $(CFLAGS) -o $@ $<

tools/libxtcp-preload.so: tools/xtcp-preload.c
	$(CC) -shared -fPIC -O2 -Wall -Wextra -Werror -o $@ $< -ldl -lpthread

modules:
	@if [ ! -f "$(KDIR)/Makefile" ]; then \
		echo "xtcp: no kernel build tree at $(KDIR)"; \
		echo "xtcp: install it with: sudo apt-get install linux-headers-$$(uname -r)"; \
		echo "xtcp: or name another tree: make KDIR=/path/to/build"; \
		echo "xtcp: (for the UML test kernel built here: make uml)"; \
		exit 1; \
	fi
	$(MAKE) -C "$(KDIR)" M="$(CURDIR)" modules

# For the release KDIR was built for: the one in the module's vermagic
# (Debian's include/config/kernel.release says 6.1.192 for 6.1.0-57-amd64).
# kbuild's own depmod skips a tree without System.map (a distribution's
# headers), so depmod runs here; not under DESTDIR, where the package's
# installation runs it.
KRELEASE = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
	"$(KDIR)/include/generated/utsrelease.h")

install: modules tools
	install -D -m 0755 tools/libxtcp-preload.so \
		"$(DESTDIR)/usr/local/lib/libxtcp-preload.so"
	install -D -m 0755 tools/xtcp-run "$(DESTDIR)/usr/local/bin/xtcp-run"
	$(MAKE) -C "$(KDIR)" M="$(CURDIR)" INSTALL_MOD_DIR=updates \
		$(if $(DESTDIR),INSTALL_MOD_PATH="$(DESTDIR)") modules_install
	$(if $(DESTDIR),,depmod -a "$(KRELEASE)")
	install -D -m 0644 include/uapi/linux/xtcp.h \
		"$(DESTDIR)/usr/include/linux/xtcp.h"

uml:
	scripts/uml-kernel
	$(MAKE) KDIR="$$(scripts/uml-kernel --print-dir)" ARCH=um modules

check:
	scripts/check

demo:
	scripts/demo

bench:
	scripts/bench

table-bench:
	scripts/table-bench

fuzz:
	scripts/fuzz

checkpatch:
	scripts/checkpatch

distro-build:
	scripts/distro-build

clean:
	@if [ -f "$(KDIR)/Makefile" ]; then \
		$(MAKE) -C "$(KDIR)" M="$(CURDIR)" clean; \
	fi
	rm -rf mod/*.o mod/*.ko mod/*.mod* mod/.*.cmd kunit/*.o kunit/*.ko \
		kunit/*.mod* kunit/.*.cmd .*.cmd Module.symvers modules.order \
		mod/modules.order kunit/modules.order selftests/bin \
		tools/libxtcp-preload.so tools/xss
