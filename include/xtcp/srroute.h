/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The return route of a received IPv4 source route (RFC 1122 4.2.3.8,
 * RFC 9293 MUST-53): pure logic over the option bytes of a datagram
 * from the wire, used at a passive open (listen.c) and tested by KUnit
 * (kunit/srroute_test.c).
 */
#ifndef _XTCP_SRROUTE_H
#define _XTCP_SRROUTE_H

#include <linux/ip.h>
#include <linux/string.h>
#include <linux/types.h>

/* At most 40 bytes of options follow a 20-byte IPv4 header (IHL 15). */
#define XTCP_IPOPT_MAX	40

/*
 * The source route option of @opts, or NULL: the option list is walked
 * as RFC 791 lays it out (EOL ends it, NOP is one byte, every other
 * option has a length byte of at least 2 that fits in what is left).
 * A list that does not walk, or that holds two source routes, has none
 * (IP refuses a second one too, RFC 1812 5.2.4.1).
 */
static inline const u8 *xtcp_srr_find(const u8 *opts, unsigned int len)
{
	const u8 *srr = NULL;
	unsigned int i = 0, olen;

	while (i < len) {
		if (opts[i] == IPOPT_END)
			break;
		if (opts[i] == IPOPT_NOOP) {
			i++;
			continue;
		}
		if (len - i < 2)
			return NULL;
		olen = opts[i + 1];
		if (olen < 2 || olen > len - i)
			return NULL;
		if (opts[i] == IPOPT_LSRR || opts[i] == IPOPT_SSRR) {
			if (srr)
				return NULL;
			srr = opts + i;
		}
		i += olen;
	}
	return srr;
}

/**
 * xtcp_srr_reverse() - the return route of a received source route
 * @opts: the IP options of the received datagram (after its 20-byte header)
 * @len: their length, at most XTCP_IPOPT_MAX
 * @saddr: the datagram's source address: where the return route ends
 * @out: XTCP_IPOPT_MAX bytes for the return route's option
 * @first_hop: set to the return route's first hop, where our datagrams go
 *
 * A source route (loose or strict, RFC 791) that brought a datagram here
 * holds, before its pointer, the addresses of the hops it went by, each
 * recorded as it passed; the pointer past the length means the route is
 * complete. The way back is those hops in the reverse order: the last
 * recorded is the first hop, the rest follow in the option, and the last
 * slot names the final destination, @saddr (which xtcp_ip_options_build()
 * writes again at each send). A first recorded hop that is @saddr itself
 * is left out, as RFC 1812 5.2.4.1 asks and Linux's __ip_options_echo()
 * does; a route that is then empty is no route. The option keeps its type
 * (strict stays strict) and its pointer starts at the first slot (4).
 *
 * The bytes come from the wire: a length, pointer or slot that does not
 * line up on whole addresses gives no route rather than a guess, and no
 * byte outside @opts[0..@len) is read.
 *
 * Return: the length of the option in @out (7 to 39), 0 for no route.
 */
static inline unsigned int xtcp_srr_reverse(const u8 *opts, unsigned int len,
					    __be32 saddr, u8 *out,
					    __be32 *first_hop)
{
	unsigned int olen, ptr, n, k, j, slots;
	const u8 *srr;

	if (len > XTCP_IPOPT_MAX)
		return 0;
	srr = xtcp_srr_find(opts, len);
	if (!srr)
		return 0;
	/* Type, length, pointer, then whole addresses. */
	olen = srr[1];
	if (olen < 3 || (olen - 3) % 4)
		return 0;
	ptr = srr[2];
	if (ptr < 4)
		return 0;
	/* Recorded addresses: those before the pointer, or all of them. */
	if (ptr > olen) {
		n = (olen - 3) / 4;
	} else {
		if ((ptr - 4) % 4)
			return 0;
		n = (ptr - 4) / 4;
	}
	if (!n)
		return 0;
	/* The oldest hop is no hop if it is the source itself. */
	k = memcmp(srr + 3, &saddr, 4) ? 0 : 1;
	if (n - k == 0)
		return 0;
	memcpy(first_hop, srr + 3 + 4 * (n - 1), 4);
	/* The hops recorded before it, newest first, then @saddr. */
	slots = n - k;
	out[0] = srr[0];
	out[1] = 3 + 4 * slots;
	out[2] = 4;
	for (j = 0; j + 1 < slots; j++)
		memcpy(out + 3 + 4 * j, srr + 3 + 4 * (n - 2 - j), 4);
	memcpy(out + 3 + 4 * (slots - 1), &saddr, 4);
	return out[1];
}

#endif /* _XTCP_SRROUTE_H */
