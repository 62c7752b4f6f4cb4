// SPDX-License-Identifier: GPL-2.0
/*
 * uml-xstate.so: lets the 6.12 User-Mode Linux test kernel run on a host
 * whose XSAVE area is larger than UML expects (AMX: 11008 bytes).
 *
 * UML saves and restores its processes' FPU state with
 * ptrace(PTRACE_{GET,SET}REGSET, NT_X86_XSTATE) through a buffer of a size
 * fixed at build time (2696 bytes: x87, SSE, AVX, AVX-512 and PKRU). The
 * host kernel accepts a SETREGSET only of exactly its own size, so on an
 * AMX host every restore fails with EFAULT and UML dies at boot ("ptrace
 * set fp regs failed, errno = 14"). Preloaded into the UML binary by
 * scripts/uml-run, this shim passes such calls through a buffer of the
 * host's size: a GET hands UML the first part, a SET fills the rest with
 * zeroes. The XSTATE_BV header bits of components beyond UML's buffer (AMX
 * tiles) are cleared both ways, so the host restores them to their initial
 * state; guest programs never enable AMX, which needs arch_prctl() per
 * process. On a host whose size matches UML's, the calls pass unchanged.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <stdarg.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/uio.h>

/* Where the XSAVE header's XSTATE_BV lies, and the first AMX component. */
#define XSTATE_BV_OFFSET	512
#define XFEATURE_AMX_FIRST	17

typedef long (*ptrace_fn)(enum __ptrace_request, pid_t, void *, void *);

static unsigned char area[64 * 1024];
static size_t host_size;

/* The host's size, learnt from the first GETREGSET: it sets iov_len. */
static long host_getregset(ptrace_fn real, pid_t pid, void *addr)
{
	struct iovec big = { .iov_base = area, .iov_len = sizeof(area) };
	long r = real(PTRACE_GETREGSET, pid, addr, &big);

	if (r >= 0)
		host_size = big.iov_len;
	return r;
}

static void clear_beyond(unsigned char *xsave, size_t len)
{
	unsigned long long bv;

	if (len < XSTATE_BV_OFFSET + sizeof(bv))
		return;
	memcpy(&bv, xsave + XSTATE_BV_OFFSET, sizeof(bv));
	bv &= (1ULL << XFEATURE_AMX_FIRST) - 1;
	memcpy(xsave + XSTATE_BV_OFFSET, &bv, sizeof(bv));
}

long ptrace(enum __ptrace_request req, ...)
{
	static ptrace_fn real;
	struct iovec *iov, big;
	void *addr, *data;
	va_list ap;
	pid_t pid;
	size_t n;
	long r;

	va_start(ap, req);
	pid = va_arg(ap, pid_t);
	addr = va_arg(ap, void *);
	data = va_arg(ap, void *);
	va_end(ap);
	if (!real)
		real = (ptrace_fn)dlsym(RTLD_NEXT, "ptrace");
	if ((req != PTRACE_GETREGSET && req != PTRACE_SETREGSET) ||
	    (long)addr != NT_X86_XSTATE)
		return real(req, pid, addr, data);
	iov = data;
	if (!host_size) {
		r = host_getregset(real, pid, addr);
		if (r < 0)
			return r;
	}
	if (iov->iov_len == host_size)
		return real(req, pid, addr, data);

	n = iov->iov_len < host_size ? iov->iov_len : host_size;
	big.iov_base = area;
	big.iov_len = host_size;
	if (req == PTRACE_GETREGSET) {
		r = real(req, pid, addr, &big);
		if (r < 0)
			return r;
		memcpy(iov->iov_base, area, n);
		clear_beyond(iov->iov_base, n);
		iov->iov_len = n;
		return r;
	}
	memset(area, 0, host_size);
	memcpy(area, iov->iov_base, n);
	clear_beyond(area, host_size);
	return real(req, pid, addr, &big);
}
