// SPDX-License-Identifier: GPL-2.0
/*
 * Initial sequence numbers (RFC 9293 section 3.4.1, RFC 6528):
 *
 *	ISN = M + F(saddr, daddr, sport, dport, secret)
 *
 * M is a clock that ticks every 4 microseconds (MUST-8), F is SipHash of
 * the 4-tuple under a secret key drawn once per boot, so F cannot be
 * computed from outside (MUST-9). Each 4-tuple gets its own offset into
 * the sequence space, and that offset then moves forward with the clock,
 * so a new incarnation of a connection starts past the old one's numbers.
 */

#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/random.h>
#include <linux/timekeeping.h>
#include <xtcp/isn.h>

/* Nanoseconds per tick of the ISN clock M. */
#define XTCP_ISN_TICK_NS	4000

static siphash_key_t xtcp_isn_key __read_mostly;

/**
 * xtcp_isn_init() - draw the secret key of the ISN function
 *
 * Call once at module load, before any socket can connect.
 */
void xtcp_isn_init(void)
{
	get_random_bytes(&xtcp_isn_key, sizeof(xtcp_isn_key));
}

/**
 * xtcp_isn_compute() - the ISN of a 4-tuple at a given time, under a key
 * @key: the secret key of F
 * @clock_ns: the time, in nanoseconds, from any fixed origin
 * @saddr: local IPv4 address
 * @daddr: remote IPv4 address
 * @sport: local port
 * @dport: remote port
 *
 * Pure and deterministic, so that KUnit can test it; xtcp_isn() supplies
 * the boot key and the clock. M is the clock in 4 microsecond ticks, cut
 * to 32 bits: it wraps every 2^32 ticks, about 4.77 hours.
 *
 * Return: the initial sequence number.
 */
u32 xtcp_isn_compute(const siphash_key_t *key, u64 clock_ns,
		     __be32 saddr, __be32 daddr, __be16 sport, __be16 dport)
{
	u32 m = (u32)div_u64(clock_ns, XTCP_ISN_TICK_NS);
	u32 ports = (u32)(__force u16)sport << 16 | (__force u16)dport;
	u32 f = (u32)siphash_3u32((__force u32)saddr, (__force u32)daddr,
				  ports, key);

	return m + f;
}

/**
 * xtcp_isn() - the initial sequence number for a new connection
 * @saddr: local IPv4 address
 * @daddr: remote IPv4 address
 * @sport: local port
 * @dport: remote port
 *
 * Return: the ISN to send on this connection's SYN or SYN-ACK.
 */
u32 xtcp_isn(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport)
{
	/*
	 * A monotonic clock, not the wall clock: settimeofday() or NTP can
	 * step the wall clock back, and M must only move forward (MUST-8),
	 * or a new incarnation could reuse sequence numbers that an old one
	 * still has in flight. It restarts at boot, which RFC 9293 allows
	 * ("need not persist across reboots"); the key changes then too.
	 */
	return xtcp_isn_compute(&xtcp_isn_key, ktime_get_ns(),
				saddr, daddr, sport, dport);
}

/**
 * xtcp_isn6() - xtcp_isn() for an IPv6 connection
 * @saddr: local address
 * @daddr: remote address
 * @sport: local port
 * @dport: remote port
 *
 * F takes every bit of both addresses (RFC 6528 section 3).
 *
 * Return: the ISN to send on this connection's SYN or SYN-ACK.
 */
u32 xtcp_isn6(const struct in6_addr *saddr, const struct in6_addr *daddr,
	      __be16 sport, __be16 dport)
{
	const struct {
		struct in6_addr saddr;
		struct in6_addr daddr;
		__be16 sport;
		__be16 dport;
	} __aligned(SIPHASH_ALIGNMENT) in = {
		.saddr = *saddr,
		.daddr = *daddr,
		.sport = sport,
		.dport = dport,
	};
	u32 m = (u32)div_u64(ktime_get_ns(), XTCP_ISN_TICK_NS);

	return m + (u32)siphash(&in, offsetofend(typeof(in), dport),
				&xtcp_isn_key);
}
