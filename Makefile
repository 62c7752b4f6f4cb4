# SPDX-License-Identifier: GPL-2.0
#
# xtcp: an alternate TCP for Linux, as a loadable kernel module.
#
#   make                 build mod/xtcp.ko for the running kernel (KDIR)
#   make demo            build and boot the UML test kernel, show xtcp live
#   make check           install what is missing, build, run every test
#   make bench           xtcp against Linux TCP: throughput, rates, memory
#   make fuzz            the segment fuzzer as a soak (XTCP_FUZZ_SEGS=N or
#                        XTCP_FUZZ_SECS=S; 10^6 segments by default)
#   make uml             build the UML test kernel (cached) and xtcp.ko for it
#   make checkpatch      kernel style on our C sources
#   make clean

KDIR ?= /lib/modules/$(shell uname -r)/build

.PHONY: all modules uml check demo bench fuzz checkpatch clean

all: modules

modules:
	@if [ ! -f "$(KDIR)/Makefile" ]; then \
		echo "xtcp: no kernel build tree at $(KDIR)"; \
		echo "xtcp: install it with: sudo apt-get install linux-headers-$$(uname -r)"; \
		echo "xtcp: or name another tree: make KDIR=/path/to/build"; \
		echo "xtcp: (for the UML test kernel built here: make uml)"; \
		exit 1; \
	fi
	$(MAKE) -C "$(KDIR)" M="$(CURDIR)" modules

uml:
	scripts/uml-kernel
	$(MAKE) KDIR="$$(scripts/uml-kernel --print-dir)" ARCH=um modules

check:
	scripts/check

demo:
	scripts/demo

bench:
	scripts/bench

fuzz:
	scripts/fuzz

checkpatch:
	scripts/checkpatch

clean:
	@if [ -f "$(KDIR)/Makefile" ]; then \
		$(MAKE) -C "$(KDIR)" M="$(CURDIR)" clean; \
	fi
	rm -rf mod/*.o mod/*.ko mod/*.mod* mod/.*.cmd kunit/*.o kunit/*.ko \
		kunit/*.mod* kunit/.*.cmd .*.cmd Module.symvers modules.order \
		mod/modules.order kunit/modules.order selftests/bin
