// SPDX-License-Identifier: GPL-2.0
/*
 * xfuzz: a TCP segment fuzzer for xtcp, fast enough for a soak.
 *
 *   xfuzz [OPTIONS] run DEV
 *         send random and mutated IPv4/TCP frames out of DEV (an AF_PACKET
 *         socket, so every header byte is ours) at the targets below, and
 *         learn the targets' sequence numbers from what comes back on DEV
 *   xfuzz [OPTIONS] serve ADDR:PORT
 *         the listener's application: accept, send --serve-bytes, close,
 *         for ever (until SIGTERM; prints "accepted=N")
 *   xfuzz [OPTIONS] connect ADDR:PORT N
 *         the application of --active-port: connect over xtcp to ports
 *         PORT .. PORT+N-1 of ADDR in turn, waiting 1 s at most; send
 *         --serve-bytes, read for 0.3 s, close with an RST; for ever
 *         (until SIGTERM; prints "connected=C of T")
 *
 * Targets of "run" (each may be given several times):
 *   --listen A:P        a listener at A:P. Fuzzed SYNs come from the
 *                       --spoof address and ports --own-port.. (the script
 *                       points A's neighbour entry for --spoof at DEV, and
 *                       DEV's namespace does not own it, so nothing there
 *                       answers A): their SYN-ACKs are sniffed, and those
 *                       children are then driven through the handshake,
 *                       data, close and TIME_WAIT with good and mutated
 *                       segments; others come from random sources.
 *   --est A:P,B:Q       an established connection between A:P (the
 *                       target) and B:Q (the real peer, idle while xfuzz
 *                       runs, nothing sent yet), whose numbers xfuzz
 *                       learns from a SYN probe's answer and from every
 *                       segment A sends. Most segments are aimed in and
 *                       near its window, within rules that keep the
 *                       connection whole, so that the test can check it
 *                       afterwards: payload is always the bytes the peer's
 *                       stream holds at that sequence number (byte i is
 *                       i % 251, as xconn's stream= sends) behind a true
 *                       data offset, no FIN and no RST at a sequence
 *                       number RCV.NXT can have, no
 *                       timestamp newer than the one A echoes, and a full
 *                       window on any segment A might accept.
 *   --tw A:P,B:Q        a TIME_WAIT entry at A for that 4-tuple
 *   --active-port P     A connects to ports P .. P+31 of --spoof ("xfuzz
 *                       connect"): xfuzz answers each SYN it sees with
 *                       SYN-ACKs carrying every option (MSS 0 to 48,
 *                       window scale 15 to 255...), then drives the
 *                       connection as one of its own
 *
 * Options:
 *   --netns NAME        enter /run/netns/NAME first
 *   --seed S            the seed (default: from the clock); printed, so
 *                       that a run can be replayed: the same seed makes
 *                       the same choices (numbers aimed at live
 *                       connections follow what was learned)
 *   --segs N            stop after N segments (default 20000)
 *   --secs S            stop after S seconds (0: no limit; whichever of
 *                       --segs and --secs comes first ends the run)
 *   --spoof ADDR        source address of the fuzzer's own connections
 *   --own-port P        first of the 256 source ports of its own flows
 *   --inject K          bytes of an --est peer's stream the fuzzer may
 *                       send (default 8K). Keep it under the peer's
 *                       initial window: once A holds them, A acknowledges
 *                       bytes the peer has not sent yet, and a peer drops
 *                       such ACKs (RFC 9293), so it must reach them
 *                       without one. The check afterwards must send more
 *                       than K + 128K each way, so that the peer's
 *                       segments pass every sequence number xfuzz used.
 *   --pcap FILE         write every frame sent to FILE (pcap)
 *   --no-guard 1        drop the rules that keep an --est connection whole:
 *                       the checks afterwards must then fail (this shows
 *                       that they can)
 *   --progress N        a "# progress" line every N segments
 *   --serve-bytes N     what "serve" sends each connection (default 3000)
 *
 * Prints "# " lines (seed, what was learned, the rate) and at the end
 *   result segs=N frames=F secs=T rate=R aimed=A inwin=W children=C tws=T
 * Exit status: 0; 1 if a target could not be learned or sending failed;
 * 2 on usage.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "netns.h"
#include "xtcp_family.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX_TARGETS	16
#define OWN_FLOWS	256
#define ACT_FLOWS	32
#define ALL_FLOWS	(OWN_FLOWS + ACT_FLOWS)
#define BATCH		32
#define MTU		1500
#define FRAME_MAX	(14 + MTU)
#define DGRAM_MAX	65535
#define PATTERN_MOD	251	/* xconn's stream: byte i is i % 251 */

#define F_FIN	0x01
#define F_SYN	0x02
#define F_RST	0x04
#define F_PSH	0x08
#define F_ACK	0x10
#define F_URG	0x20

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;

/* ---- randomness: xoshiro256**, seeded by SplitMix64 ---------------- */

static u64 rs[4];

static u64 splitmix(u64 *x)
{
	u64 z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u64 rotl(u64 x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static u64 rnd64(void)
{
	u64 r = rotl(rs[1] * 5, 7) * 9, t = rs[1] << 17;

	rs[2] ^= rs[0];
	rs[3] ^= rs[1];
	rs[1] ^= rs[2];
	rs[0] ^= rs[3];
	rs[2] ^= t;
	rs[3] = rotl(rs[3], 45);
	return r;
}

static u32 rnd32(void)
{
	return rnd64() >> 32;
}

/* Uniform in [0, n), n > 0. */
static u32 rnd(u32 n)
{
	return ((rnd64() >> 32) * (u64)n) >> 32;
}

/* True with probability 1 / n. */
static int one_in(u32 n)
{
	return rnd(n) == 0;
}

/* A small signed step, mostly -3..3, sometimes up to a few segments. */
static int32_t small_delta(void)
{
	switch (rnd(4)) {
	case 0:
		return 0;
	case 1:
		return (int32_t)rnd(7) - 3;
	case 2:
		return (int32_t)rnd(3000) - 1500;
	default:
		return (int32_t)rnd(131072) - 65536;
	}
}

/* ---- targets and what is known of them ------------------------------ */

enum kind { K_EST, K_TW, K_OWN };

/*
 * One 4-tuple: "t_" is what A (the target) sent last, so t_nxt is A's
 * SND.NXT and t_ack its RCV.NXT as far as we have seen.
 */
struct flow {
	enum kind kind;
	u32 a_addr, b_addr;		/* network order */
	u16 a_port, b_port;		/* network order */
	int known;			/* A sent something we saw */
	u32 t_nxt, t_ack, t_tsval, t_tsecr;
	int t_has_ts, t_fin;
	/* --est: the peer's stream starts at base; lo..hi bounds RCV.NXT */
	u32 base, hi_off;
	/* own flows */
	u32 own_ts;
	int state;			/* 0 none, 1 synchronized, 2 we FIN'd,
					 * 3 A's SYN seen (A in SYN_SENT)
					 */
	u32 our_isn;
	u32 tw_seen;
};

static struct flow targets[MAX_TARGETS];
static int ntargets;
static struct flow own[ALL_FLOWS];	/* passive, then active opens */
static u32 listen_addr[MAX_TARGETS];
static u16 listen_port[MAX_TARGETS];
static int nlisten;
static u32 spoof_addr;
static u16 own_port0 = 20000;
static u16 act_port0;
static u32 inject_max = 8 << 10;
static int no_guard;

/* ---- statistics ------------------------------------------------------ */

static u64 n_segs, n_frames, n_frag, n_aimed, n_inwin, n_children, n_tws;
static u64 n_sniffed, n_syns, n_active;

/* ---- the link -------------------------------------------------------- */

static int pfd = -1;
static int ifindex;
static u8 my_mac[6], dst_mac[6];
static FILE *pcap;

static struct mmsghdr out_msgs[BATCH];
static struct iovec out_iov[BATCH];
static u8 out_buf[BATCH][FRAME_MAX];
static int nout;

static void die(const char *what)
{
	fprintf(stderr, "xfuzz: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void bad_usage(void)
{
	fprintf(stderr,
		"usage: xfuzz [OPTIONS] run DEV\n"
		"       xfuzz [OPTIONS] serve ADDR:PORT\n"
		"(the options are listed at the top of the source)\n");
	exit(2);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void pcap_frame(const u8 *p, int len)
{
	struct timespec ts;
	u32 hdr[4];

	clock_gettime(CLOCK_REALTIME, &ts);
	hdr[0] = ts.tv_sec;
	hdr[1] = ts.tv_nsec / 1000;
	hdr[2] = len;
	hdr[3] = len;
	fwrite(hdr, sizeof(hdr), 1, pcap);
	fwrite(p, len, 1, pcap);
}

static void flush_out(void)
{
	int done = 0, n;

	while (done < nout) {
		n = sendmmsg(pfd, out_msgs + done, nout - done, 0);
		if (n < 0) {
			if (errno == EINTR || errno == ENOBUFS ||
			    errno == EAGAIN)
				continue;
			if (errno == EMSGSIZE) {	/* over the MTU: skip it */
				done++;
				continue;
			}
			die("sendmmsg");
		}
		done += n;
	}
	if (pcap)
		fflush(pcap);
	nout = 0;
}

/* Queue one Ethernet frame carrying the IPv4 datagram @ip of @len bytes. */
static void queue_frame(const u8 *ip, int len)
{
	u8 *f;

	if (nout == BATCH)
		flush_out();
	f = out_buf[nout];
	memcpy(f, dst_mac, 6);
	memcpy(f + 6, my_mac, 6);
	f[12] = 0x08;
	f[13] = 0x00;
	memcpy(f + 14, ip, len);
	out_iov[nout].iov_base = f;
	out_iov[nout].iov_len = 14 + len;
	memset(&out_msgs[nout].msg_hdr, 0, sizeof(out_msgs[nout].msg_hdr));
	out_msgs[nout].msg_hdr.msg_iov = &out_iov[nout];
	out_msgs[nout].msg_hdr.msg_iovlen = 1;
	if (pcap)
		pcap_frame(f, 14 + len);
	nout++;
	n_frames++;
}

/* ---- checksums and byte order helpers ------------------------------- */

static u32 csum_add(u32 sum, const u8 *p, int len)
{
	int i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (p[i] << 8) | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	return sum;
}

static u16 csum_fold(u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

static void put16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(u8 *p, u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static u16 get16(const u8 *p)
{
	return (p[0] << 8) | p[1];
}

static u32 get32(const u8 *p)
{
	return ((u32)p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
}

static int seq_after(u32 a, u32 b)
{
	return (int32_t)(a - b) > 0;
}

/* ---- one segment ------------------------------------------------------ */

struct seg {
	u32 saddr, daddr;		/* network order */
	u16 sport, dport;		/* network order */
	u32 seq, ack;
	u8 flags, res;			/* res: the 4 reserved bits and NS */
	u16 win, urg;
	u8 opts[60];
	int optlen;
	int doff;			/* -1: from optlen */
	int len;
	int pattern;			/* payload: the peer's stream at base */
	u32 base;
	int badsum;
};

static u8 dgram[DGRAM_MAX + 64];

/* Special values where parsers go wrong. */
static u32 edge32(void)
{
	static const u32 v[] = { 0, 1, 2, 0x7fffffff, 0x80000000, 0x80000001,
				 0xfffffffe, 0xffffffff, 0x3fffffff, 0x40000000,
				 0xffff, 0x10000 };

	return v[rnd(ARRAY_SIZE(v))];
}

/* A sequence number around @ref, or anywhere. */
static u32 near(u32 ref)
{
	switch (rnd(10)) {
	case 0:
		return rnd32();
	case 1:
		return edge32() + small_delta();
	case 2:
		return ref + 0x80000000u + small_delta();
	case 3:
		return ref - rnd(0x40000000);
	case 4:
		return ref + rnd(0x40000000);
	default:
		return ref + small_delta();
	}
}

/* Option bytes: realistic, a random list of kinds, or noise. */
static int gen_opts(u8 *o, int room, const struct flow *f, int syn,
		    u32 tsval)
{
	u32 una = f ? f->t_nxt : rnd32(), ref;
	int n = 0, k, len, i, blocks;

	if (one_in(8))
		return 0;
	if (one_in(10)) {
		len = rnd(room + 1);
		for (i = 0; i < len; i++)
			o[i] = rnd32();
		return len;
	}
	if (rnd(3) == 0) {
		/* what a real stack sends */
		if (syn) {
			static const u16 mss[] = { 0, 1, 11, 12, 47, 48, 88, 536,
						   1448, 1460, 65535 };
			o[n++] = 2;
			o[n++] = 4;
			put16(o + n, one_in(2) ? mss[rnd(ARRAY_SIZE(mss))] :
			      rnd(49));
			n += 2;
			o[n++] = 4;
			o[n++] = 2;
		} else {
			o[n++] = 1;
			o[n++] = 1;
		}
		o[n++] = 8;
		o[n++] = 10;
		put32(o + n, tsval);
		put32(o + n + 4, f ? f->t_tsval : rnd32());
		n += 8;
		if (syn) {
			o[n++] = 1;
			o[n++] = 3;
			o[n++] = 3;
			o[n++] = rnd(3) ? rnd(16) : rnd(256);
		}
		return n;
	}
	while (n < room) {
		k = rnd(16);
		switch (k) {
		case 0:	/* EOL, then maybe junk */
			o[n++] = 0;
			if (one_in(3))
				return n;
			break;
		case 1: case 2:	/* a run of NOPs */
			for (i = rnd(8) + 1; i && n < room; i--)
				o[n++] = 1;
			break;
		case 3:	/* MSS */
			len = one_in(6) ? rnd(7) : 4;
			if (n + 2 > room)
				return n;
			o[n] = 2;
			o[n + 1] = len;
			if (n + 4 <= room)
				put16(o + n + 2, rnd(3) ? rnd(49) : rnd32());
			n += len < 2 ? 2 : len;
			break;
		case 4:	/* window scale 0 .. 255 */
			len = one_in(6) ? rnd(5) : 3;
			if (n + 3 > room)
				return n;
			o[n] = 3;
			o[n + 1] = len;
			o[n + 2] = rnd(2) ? 15 + rnd(241) : rnd(15);
			n += len < 2 ? 2 : len;
			break;
		case 5:	/* SACK permitted */
			len = one_in(6) ? rnd(4) : 2;
			if (n + 2 > room)
				return n;
			o[n] = 4;
			o[n + 1] = len;
			n += 2;
			break;
		case 6: case 7: case 8:	/* SACK blocks, anywhere */
			blocks = rnd(5);
			len = 2 + 8 * blocks;
			if (one_in(6))
				len += rnd(8) - 3;
			if (len < 2)
				len = 2;
			if (n + len > room) {
				blocks = (room - n - 2) / 8;
				if (blocks < 0)
					return n;
				len = 2 + 8 * blocks;
			}
			o[n] = 5;
			o[n + 1] = len;
			for (i = 0; i < blocks; i++) {
				ref = rnd(2) ? una : (f ? f->t_nxt : rnd32());
				u32 l = near(ref), r = l + rnd(3000);

				if (one_in(4))
					r = near(ref);
				put32(o + n + 2 + 8 * i, l);
				put32(o + n + 6 + 8 * i, r);
			}
			n += len;
			break;
		case 9: case 10:	/* timestamps */
			len = one_in(6) ? rnd(12) : 10;
			if (n + 10 > room)
				return n;
			o[n] = 8;
			o[n + 1] = len;
			put32(o + n + 2, tsval);
			put32(o + n + 6, f && rnd(2) ? f->t_tsval + small_delta() :
			      rnd32());
			n += len < 2 ? 2 : len;
			break;
		default:	/* MD5, MPTCP, fast open, experimental, unknown */
			if (n + 2 > room)
				return n;
			{
				static const u8 kinds[] = { 19, 30, 34, 253, 254,
							    6, 7, 9, 14, 27, 28 };
				o[n] = rnd(2) ? kinds[rnd(ARRAY_SIZE(kinds))] :
					rnd(256);
			}
			len = rnd(4) ? 2 + rnd(room - n - 1) : rnd(256);
			o[n + 1] = len;
			for (i = 2; i < len && n + i < room; i++)
				o[n + i] = rnd32();
			n += len < 2 ? 2 : len;
			break;
		}
		if (n > room)
			n = room;
		if (one_in(3))
			break;
	}
	return n > room ? room : n;
}

/* The datagram's IP options: NOPs, record route, timestamp, junk. */
static int gen_ipopts(u8 *o)
{
	int n = 0, len, i;

	switch (rnd(6)) {
	case 0:		/* NOPs and EOL */
		n = 4 * (1 + rnd(3));
		for (i = 0; i < n; i++)
			o[i] = rnd(4) ? 1 : 0;
		break;
	case 1:		/* record route */
		len = 3 + 4 * (1 + rnd(8));
		o[0] = 7;
		o[1] = len;
		o[2] = 4;
		memset(o + 3, 0, len - 3);
		n = (len + 3) & ~3;
		memset(o + len, 0, n - len);
		break;
	case 2:		/* timestamp */
		o[0] = 68;
		o[1] = 4 + 4 * (1 + rnd(8));
		o[2] = 5;
		o[3] = 0;
		memset(o + 4, 0, o[1] - 4);
		n = o[1];
		break;
	case 3:		/* router alert */
		o[0] = 148;
		o[1] = 4;
		o[2] = 0;
		o[3] = 0;
		n = 4;
		break;
	default:	/* noise */
		n = 4 * (1 + rnd(10));
		for (i = 0; i < n; i++)
			o[i] = rnd32();
		break;
	}
	return n;
}

/*
 * Build the TCP segment in dgram after room for the IP header, then send
 * it as one datagram or as fragments (some overlapping, tiny, out of
 * order, or missing one).
 */
static void send_seg(struct seg *s)
{
	u8 ipopts[40], *ip = dgram, *th;
	int ipolen = 0, ihl, thlen, doff, tlen, i;
	u32 sum, ipsum;
	u16 id = rnd32();
	int frag;

	if (one_in(40))
		ipolen = gen_ipopts(ipopts);
	ihl = 20 + ipolen;
	th = ip + ihl;
	thlen = 20 + ((s->optlen + 3) & ~3);
	doff = s->doff >= 0 ? s->doff : thlen / 4;
	if (ihl + thlen + s->len > DGRAM_MAX)
		s->len = DGRAM_MAX - ihl - thlen;
	put16(th, ntohs(s->sport));
	put16(th + 2, ntohs(s->dport));
	put32(th + 4, s->seq);
	put32(th + 8, s->ack);
	th[12] = (doff << 4) | (s->res & 0x0f);
	th[13] = s->flags;
	put16(th + 14, s->win);
	put16(th + 16, 0);
	put16(th + 18, s->urg);
	memcpy(th + 20, s->opts, s->optlen);
	memset(th + 20 + s->optlen, 0, thlen - 20 - s->optlen);
	for (i = 0; i < s->len; i++) {
		if (s->pattern)
			th[thlen + i] = (u32)(s->seq + i - s->base) % PATTERN_MOD;
		else
			th[thlen + i] = i;
	}
	tlen = thlen + s->len;
	sum = csum_add(0, (const u8 *)&s->saddr, 4);
	sum = csum_add(sum, (const u8 *)&s->daddr, 4);
	sum += 6 + tlen;
	sum = csum_add(sum, th, tlen);
	put16(th + 16, csum_fold(sum) ^ (s->badsum ? 1 + rnd(0xfffe) : 0));

	/* IPv4 header */
	ip[0] = 0x40 | (ihl / 4);
	ip[1] = one_in(20) ? rnd32() : 0;
	put16(ip + 4, id);
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, &s->saddr, 4);
	memcpy(ip + 16, &s->daddr, 4);
	memcpy(ip + 20, ipopts, ipolen);

	frag = ihl + tlen > MTU || one_in(30);
	n_segs++;
	if (!frag) {
		put16(ip + 2, ihl + tlen);
		put16(ip + 6, one_in(2) ? 0x4000 : 0);	/* DF */
		put16(ip + 10, 0);
		ipsum = csum_fold(csum_add(0, ip, ihl));
		put16(ip + 10, one_in(100) ? ipsum ^ 0x100 : ipsum);
		queue_frame(ip, ihl + tlen);
		return;
	}
	n_frag++;
	{
		/* fragments of the TCP bytes, in 8-byte units */
		static u8 frame[MTU + 64];
		int offs[64], lens[64], nf = 0, off = 0, maxf, order[64];
		int skip = one_in(10) ? -2 : -1, j, t;

		maxf = ((MTU - ihl) / 8) * 8;
		while (off < tlen && nf < 64) {
			int l = tlen - off;

			if (l > maxf)
				l = maxf;
			if (one_in(3))
				l = 8 * (1 + rnd(l / 8 + 1));
			if (l > maxf)
				l = maxf;
			if (l > tlen - off)
				l = tlen - off;
			if (off + l < tlen)
				l &= ~7;
			if (l <= 0)
				l = tlen - off < 8 ? tlen - off : 8;
			offs[nf] = off;
			lens[nf] = l;
			nf++;
			off += l;
		}
		if (off < tlen) {
			/* too many pieces: send it whole-ish, cut off */
			tlen = off;
		}
		if (skip == -2)
			skip = rnd(nf);
		for (i = 0; i < nf; i++)
			order[i] = i;
		if (one_in(2)) {
			for (i = nf - 1; i > 0; i--) {
				j = rnd(i + 1);
				t = order[i];
				order[i] = order[j];
				order[j] = t;
			}
		}
		for (j = 0; j < nf; j++) {
			int fo, fl, mf;

			i = order[j];
			if (i == skip)
				continue;
			fo = offs[i];
			fl = lens[i];
			/* overlap: start a little early, with other bytes */
			if (fo >= 8 && ihl + fl + 8 <= MTU && one_in(20)) {
				fo -= 8;
				fl += 8;
			}
			mf = offs[i] + lens[i] < tlen;
			memcpy(frame, ip, ihl);
			memcpy(frame + ihl, th + fo, fl);
			if (fo != offs[i])
				for (t = 0; t < 8; t++)
					frame[ihl + t] ^= 0xa5;
			put16(frame + 2, ihl + fl);
			put16(frame + 6, (mf ? 0x2000 : 0) | (fo / 8));
			put16(frame + 10, 0);
			put16(frame + 10, csum_fold(csum_add(0, frame, ihl)));
			queue_frame(frame, ihl + fl);
			if (one_in(30))
				queue_frame(frame, ihl + fl);	/* duplicate */
		}
	}
}

/* Fill the fields every segment needs, for the 4-tuple of @f. */
static void seg_init(struct seg *s, const struct flow *f)
{
	memset(s, 0, sizeof(*s));
	s->saddr = f->b_addr;
	s->daddr = f->a_addr;
	s->sport = f->b_port;
	s->dport = f->a_port;
	s->doff = -1;
	s->win = 65535;
}

/* Random flags: every combination, weighted towards ones stacks use. */
static u8 rnd_flags(void)
{
	static const u8 common[] = { F_ACK, F_ACK | F_PSH, F_ACK | F_FIN,
				     F_RST, F_RST | F_ACK, F_SYN,
				     F_SYN | F_ACK, F_FIN, 0 };

	if (rnd(2))
		return common[rnd(ARRAY_SIZE(common))];
	return rnd32();
}

static int rnd_len(int room)
{
	switch (rnd(8)) {
	case 0: case 1: case 2:
		return 0;
	case 3:
		return 1;
	case 4:
		return rnd(64);
	case 5:
		return rnd(room + 1);
	case 6:
		return room;
	default:
		return one_in(50) ? DGRAM_MAX : 1 + rnd(1448);
	}
}

/* Mutate the header fields of an otherwise sane segment. */
static void mutate(struct seg *s)
{
	if (one_in(20))
		s->badsum = 1;
	if (one_in(25))
		s->doff = rnd(16);
	if (one_in(10))
		s->res = rnd(16);
	if (one_in(8))
		s->win = rnd(4) ? rnd(16) : rnd32();
	if (one_in(10))
		s->urg = rnd32();
	if (one_in(6))
		s->flags ^= 1 << rnd(8);
}

static u32 ts_clock(void)
{
	return (u32)(now_s() * 1000);
}

/*
 * --est: keep the connection whole while still aiming at its window (see
 * the top of the file). RCV.NXT of A is between lo (what A last acked)
 * and base + hi_off (the end of the peer's stream bytes we sent).
 */
static void guard_est(struct seg *s, struct flow *f)
{
	u32 off = s->seq - f->base, lo_off = f->t_ack - f->base;
	u32 limit = 0x40000000u + inject_max + 65536;
	u32 room, end = s->len + !!(s->flags & F_SYN) + !!(s->flags & F_FIN);
	int maybe = off < limit || off + end < off || off + end > 0xffff0000u;

	s->pattern = 1;
	s->base = f->base;
	if (!maybe || no_guard)
		return;
	/* Anything A might accept keeps ACK-carrying segments modest. */
	if ((s->flags & F_ACK) && off < limit && off > inject_max + 65536) {
		off = lo_off + rnd(65536);
		s->seq = f->base + off;
	}
	/* Payload only inside the first inject_max bytes of the stream. */
	if (s->len && off < limit && off + s->len > inject_max) {
		if ((u32)s->len > inject_max / 2)
			s->len = inject_max / 2;
		room = inject_max - s->len;
		off = lo_off < room && rnd(2) ? lo_off + rnd(room - lo_off + 1) :
			rnd(room + 1);
		s->seq = f->base + off;
	} else if (s->len && off >= limit && off + s->len < off &&
		   off + s->len > inject_max) {
		/* from before the stream's start into it: not past inject_max */
		s->len = inject_max - off;
	}
	/* RCV.NXT may go as far as the end of any payload we sent. */
	end = off + s->len;
	if (s->len && end < limit && end > f->hi_off)
		f->hi_off = end;
	/*
	 * The data offset says where the payload starts: a mutated one
	 * would make option bytes payload, or payload bytes header, and
	 * shift the stream A takes in (and RCV.NXT past hi_off).
	 */
	s->doff = -1;
	/* FIN and URG would change the stream the test checks. */
	s->flags &= ~(F_FIN | F_URG);
	/* No RST where RCV.NXT may be: it would end the connection. */
	if ((s->flags & F_RST) && (u32)(off - lo_off) <= f->hi_off - lo_off + 1)
		s->seq = f->base + f->hi_off + 2 + rnd(65536);
	s->win = 65535;
	if (s->optlen) {
		/* no timestamp newer than TS.Recent (A's TSecr) */
		int i = 0;

		while (i < s->optlen) {
			u8 k = s->opts[i];

			if (k == 0 || k == 1) {
				i++;
				continue;
			}
			if (i + 1 >= s->optlen || s->opts[i + 1] < 2)
				break;
			if (k == 8 && i + 6 <= s->optlen)
				put32(s->opts + i + 2, f->t_tsecr - rnd(4) *
				      (one_in(2) ? 1 : rnd(100000)));
			i += s->opts[i + 1];
		}
	}
}

/* Count a segment at a learned 4-tuple, and whether it is near RCV.NXT. */
static void count_live(const struct seg *s, const struct flow *f)
{
	n_aimed++;
	if ((u32)(s->seq - f->t_ack) < 65536)
		n_inwin++;
}

static void gen_est(struct flow *f)
{
	struct seg s;
	u32 lo = f->t_ack;
	int aimed = rnd(10) < 8;

	seg_init(&s, f);
	s.flags = rnd_flags();
	if (aimed) {
		switch (rnd(6)) {
		case 0:
			s.seq = lo + small_delta();
			break;
		case 1:
			s.seq = lo + rnd(65536);
			break;
		case 2:
			s.seq = lo - rnd(65536);
			break;
		default:
			s.seq = lo + (rnd(4) ? rnd(1448 * 4) : rnd(inject_max));
			break;
		}
		s.ack = rnd(4) ? f->t_nxt + (rnd(2) ? 0 : small_delta()) :
			near(f->t_nxt);
		s.flags |= rnd(4) ? F_ACK : 0;
	} else {
		s.seq = near(lo);
		s.ack = near(f->t_nxt);
	}
	s.len = rnd_len(MTU - 20 - 60);
	s.optlen = gen_opts(s.opts, 40, f, s.flags & F_SYN, f->t_tsecr);
	mutate(&s);
	guard_est(&s, f);
	count_live(&s, f);
	send_seg(&s);
}

/* A TIME_WAIT entry: around its numbers, sometimes exactly on them. */
static void gen_tw(struct flow *f)
{
	struct seg s;

	seg_init(&s, f);
	s.flags = rnd_flags();
	s.seq = rnd(3) ? f->t_ack + small_delta() : near(f->t_ack);
	s.ack = rnd(3) ? f->t_nxt + small_delta() : near(f->t_nxt);
	if (one_in(4)) {	/* a retransmitted FIN, at RCV.NXT */
		s.flags = F_FIN | F_ACK;
		s.seq = f->t_ack - 1;
	}
	/* keep the script's entries: no RST exactly at RCV.NXT */
	if ((s.flags & F_RST) && s.seq == f->t_ack)
		s.seq++;
	s.len = rnd_len(MTU - 20 - 60);
	s.optlen = gen_opts(s.opts, 40, f, s.flags & F_SYN, ts_clock());
	mutate(&s);
	count_live(&s, f);
	send_seg(&s);
}

/* A SYN, or other segment, to a listener from somewhere. */
static void gen_listen(void)
{
	struct seg s;
	struct flow tmp = { 0 };
	int l = rnd(nlisten), p;

	tmp.a_addr = listen_addr[l];
	tmp.a_port = listen_port[l];
	tmp.t_nxt = rnd32();
	tmp.t_tsval = rnd32();
	switch (rnd(10)) {
	case 0:		/* unreachable source: the child waits it out */
		tmp.b_addr = rnd(2) ? htonl(0x0a000000 | (4 + rnd(200))) :
			htonl(0xc0000200 | rnd(256));
		tmp.b_port = htons(1024 + rnd(60000));
		break;
	default:	/* one of our own flows */
		p = rnd(OWN_FLOWS);
		tmp.b_addr = spoof_addr;
		tmp.b_port = htons(own_port0 + p);
		if (own[p].state && rnd(2)) {
			/* a new SYN on a live or TIME_WAIT 4-tuple */
			tmp.t_nxt = own[p].t_ack + small_delta() +
				(rnd(2) ? rnd(0x40000000) : 0);
		}
		break;
	}
	if (one_in(8))		/* an ISN whose data wraps through 0 */
		tmp.t_nxt = -1u - rnd(70000);
	seg_init(&s, &tmp);
	s.flags = rnd(4) ? F_SYN : rnd_flags();
	s.seq = tmp.t_nxt;
	s.ack = rnd(3) ? 0 : rnd32();
	s.len = rnd(4) ? 0 : rnd_len(MTU - 20 - 60);
	s.optlen = gen_opts(s.opts, 40, NULL, 1, ts_clock());
	if (rnd(2))
		mutate(&s);
	send_seg(&s);
}

/*
 * One of our own children of the listener: good segments move it along
 * (handshake, data, close, TIME_WAIT), mutated ones poke at each state.
 */
static void gen_own(struct flow *f)
{
	struct seg s;
	int good = rnd(10) < 4;

	seg_init(&s, f);
	f->own_ts += 1 + rnd(3);
	if (good) {
		s.seq = f->t_ack;
		s.ack = f->t_nxt;
		s.flags = F_ACK;
		if (f->t_fin && rnd(2)) {
			s.flags |= F_FIN;
			f->state = 2;
		}
		s.len = rnd(4) ? 0 : 1 + rnd(1000);
		s.optlen = 12;
		s.opts[0] = 1;
		s.opts[1] = 1;
		s.opts[2] = 8;
		s.opts[3] = 10;
		put32(s.opts + 4, f->own_ts);
		put32(s.opts + 8, f->t_tsval);
		if (one_in(3)) {	/* SACK blocks, anywhere */
			int b = 1 + rnd(3), i;

			s.opts[s.optlen++] = 1;
			s.opts[s.optlen++] = 1;
			s.opts[s.optlen++] = 5;
			s.opts[s.optlen++] = 2 + 8 * b;
			for (i = 0; i < b; i++) {
				u32 l = near(f->t_nxt);

				put32(s.opts + s.optlen, l);
				put32(s.opts + s.optlen + 4,
				      l + (rnd(4) ? rnd(3000) : rnd32()));
				s.optlen += 8;
			}
		}
		if (one_in(8))
			s.win = rnd(4);		/* zero window */
	} else {
		s.flags = rnd_flags();
		s.seq = near(f->t_ack);
		s.ack = near(f->t_nxt);
		s.len = rnd_len(MTU - 20 - 60);
		s.optlen = gen_opts(s.opts, 40, f, s.flags & F_SYN,
				    rnd(2) ? f->own_ts : rnd32());
		mutate(&s);
	}
	count_live(&s, f);
	send_seg(&s);
}

/*
 * A connected to us and waits in SYN_SENT: SYN-ACKs with every option
 * (MSS 0 to 48, window scale 15 to 255...), mostly acknowledging its SYN,
 * and now and then an RST, a bare SYN (simultaneous open) or noise.
 */
static void gen_synack(struct flow *f)
{
	struct seg s;

	seg_init(&s, f);
	f->own_ts += 1 + rnd(3);
	s.seq = f->our_isn;
	s.ack = rnd(4) ? f->t_nxt : near(f->t_nxt);
	s.flags = F_SYN | F_ACK;
	switch (rnd(10)) {
	case 0:
		s.flags = F_SYN;
		break;
	case 1:
		s.flags = rnd(2) ? F_RST | F_ACK : F_RST;
		s.ack = f->t_nxt + (rnd(2) ? 0 : small_delta());
		break;
	case 2:
		s.flags = rnd_flags();
		break;
	}
	s.optlen = gen_opts(s.opts, 40, f, 1, f->own_ts);
	if (rnd(3))
		s.len = 0;
	else
		s.len = rnd_len(MTU - 20 - 60);
	if (one_in(3))
		mutate(&s);
	count_live(&s, f);
	send_seg(&s);
}

/* One of our own connections, passive or active, as far as it got. */
static void gen_mine(struct flow *f)
{
	if (f->state == 3)
		gen_synack(f);
	else
		gen_own(f);
}

/* ---- learning from what A sends ------------------------------------- */

static struct flow *flow_of(u32 a_addr, u16 a_port, u32 b_addr, u16 b_port)
{
	int i, p;

	for (i = 0; i < ntargets; i++) {
		struct flow *f = &targets[i];

		if (f->a_addr == a_addr && f->a_port == a_port &&
		    f->b_addr == b_addr && f->b_port == b_port)
			return f;
	}
	p = ntohs(b_port) - act_port0;
	if (act_port0 && b_addr == spoof_addr && p >= 0 && p < ACT_FLOWS)
		return &own[OWN_FLOWS + p];
	p = ntohs(b_port) - own_port0;
	if (b_addr == spoof_addr && p >= 0 && p < OWN_FLOWS) {
		for (i = 0; i < nlisten; i++)
			if (listen_addr[i] == a_addr && listen_port[i] == a_port)
				return &own[p];
	}
	return NULL;
}

static void learn(const u8 *fr, int len)
{
	const u8 *ip = fr + 14, *th, *o;
	int ihl, doff, plen, i;
	u32 saddr, daddr, seq, ack, end;
	u16 sport, dport;
	u8 flags;
	struct flow *f;

	if (len < 14 + 20 || fr[12] != 0x08 || fr[13] != 0x00 ||
	    (ip[0] >> 4) != 4 || ip[9] != 6)
		return;
	ihl = (ip[0] & 15) * 4;
	if (len < 14 + ihl + 20 || (get16(ip + 6) & 0x3fff))
		return;
	th = ip + ihl;
	memcpy(&saddr, ip + 12, 4);
	memcpy(&daddr, ip + 16, 4);
	memcpy(&sport, th, 2);
	memcpy(&dport, th + 2, 2);
	f = flow_of(saddr, sport, daddr, dport);
	if (!f)
		return;
	n_sniffed++;
	seq = get32(th + 4);
	ack = get32(th + 8);
	doff = (th[12] >> 4) * 4;
	flags = th[13];
	plen = get16(ip + 2) - ihl - doff;
	if (plen < 0)
		plen = 0;
	end = seq + plen + !!(flags & F_SYN) + !!(flags & F_FIN);
	if (f->kind == K_OWN) {
		if (flags & F_RST) {
			f->state = 0;
			f->known = 0;
			return;
		}
		if ((flags & (F_SYN | F_ACK)) == F_SYN && f >= own + OWN_FLOWS &&
		    (!f->known || seq + 1 != f->t_nxt)) {
			/* A connects: we are the server, A is in SYN_SENT */
			memset(f, 0, sizeof(*f));
			f->kind = K_OWN;
			f->a_addr = saddr;
			f->a_port = sport;
			f->b_addr = daddr;
			f->b_port = dport;
			f->t_nxt = end;
			f->our_isn = one_in(4) ? -1u - rnd(70000) : rnd32();
			f->t_ack = f->our_isn;
			f->known = 1;
			f->state = 3;
			f->own_ts = ts_clock();
			n_syns++;
		}
		if (f->state == 3 && (flags & F_ACK) && ack == f->our_isn + 1) {
			f->state = 1;
			n_active++;
		}
		if ((flags & (F_SYN | F_ACK)) == (F_SYN | F_ACK) &&
		    f < own + OWN_FLOWS &&
		    (!f->known || seq + 1 != f->t_nxt)) {
			/* a child: a new incarnation of this 4-tuple */
			memset(f, 0, sizeof(*f));
			f->kind = K_OWN;
			f->a_addr = saddr;
			f->a_port = sport;
			f->b_addr = daddr;
			f->b_port = dport;
			f->t_nxt = end;
			f->t_ack = ack;
			f->known = 1;
			f->state = 1;
			f->own_ts = ts_clock();
			n_children++;
		}
		if (f->state == 2 && (flags & F_ACK) && ack == f->t_ack + 1 &&
		    f->t_fin && !f->tw_seen) {
			f->tw_seen = 1;
			n_tws++;
		}
	}
	if (!f->known) {
		f->t_nxt = end;
		f->t_ack = ack;
		f->known = 1;
		if (f->kind == K_EST)
			f->base = ack;
	}
	if (seq_after(end, f->t_nxt))
		f->t_nxt = end;
	if ((flags & F_ACK) && seq_after(ack, f->t_ack))
		f->t_ack = ack;
	if (flags & F_FIN)
		f->t_fin = 1;
	/* timestamps */
	o = th + 20;
	for (i = 0; i + 1 < doff - 20 && 14 + ihl + 20 + i + 10 <= len;) {
		if (o[i] == 0)
			break;
		if (o[i] == 1) {
			i++;
			continue;
		}
		if (o[i] == 8 && o[i + 1] == 10) {
			f->t_tsval = get32(o + i + 2);
			f->t_tsecr = get32(o + i + 6);
			f->t_has_ts = 1;
			break;
		}
		if (o[i + 1] < 2)
			break;
		i += o[i + 1];
	}
}

static void drain(void)
{
	static u8 bufs[64][256];
	static struct mmsghdr msgs[64];
	static struct iovec iov[64];
	int i, n;

	for (;;) {
		for (i = 0; i < 64; i++) {
			iov[i].iov_base = bufs[i];
			iov[i].iov_len = sizeof(bufs[i]);
			memset(&msgs[i].msg_hdr, 0, sizeof(msgs[i].msg_hdr));
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
		}
		n = recvmmsg(pfd, msgs, 64, MSG_DONTWAIT, NULL);
		if (n <= 0)
			return;
		for (i = 0; i < n; i++)
			learn(bufs[i], msgs[i].msg_len);
	}
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/*
 * Learn the --est and --tw targets: an --est gets a SYN (answered with an
 * ACK at once, in or out of the window: RFC 5961), a TIME_WAIT entry an
 * ACK off its numbers; A's answer carries SND.NXT, RCV.NXT and TS.Recent.
 */
static int probe(void)
{
	struct seg s;
	int round, i, missing = 0;

	for (round = 0; round < 50; round++) {
		missing = 0;
		for (i = 0; i < ntargets; i++) {
			struct flow *f = &targets[i];

			if (f->known)
				continue;
			missing++;
			seg_init(&s, f);
			s.seq = rnd32();
			s.flags = f->kind == K_EST ? F_SYN : F_ACK;
			send_seg(&s);
		}
		flush_out();
		if (!missing)
			break;
		sleep_ms(100);
		drain();
	}
	n_segs = 0;
	n_frames = 0;
	n_frag = 0;
	for (i = 0; i < ntargets; i++) {
		struct flow *f = &targets[i];
		struct in_addr a = { f->a_addr }, b = { f->b_addr };
		char as[20], bs[20];

		snprintf(as, sizeof(as), "%s", inet_ntoa(a));
		snprintf(bs, sizeof(bs), "%s", inet_ntoa(b));
		if (!f->known) {
			printf("# xfuzz: %s %s:%u,%s:%u did not answer\n",
			       f->kind == K_EST ? "est" : "tw", as,
			       ntohs(f->a_port), bs, ntohs(f->b_port));
			continue;
		}
		printf("# xfuzz: %s %s:%u,%s:%u learned: snd_nxt=%u rcv_nxt=%u ts_recent=%u\n",
		       f->kind == K_EST ? "est" : "tw", as, ntohs(f->a_port),
		       bs, ntohs(f->b_port), f->t_nxt, f->t_ack, f->t_tsecr);
	}
	return missing;
}

/* End our own flows with an RST exactly at A's RCV.NXT, as a peer would. */
static void cleanup(void)
{
	struct seg s;
	int round, i;

	for (round = 0; round < 4; round++) {
		drain();
		for (i = 0; i < ALL_FLOWS; i++) {
			struct flow *f = &own[i];

			if (!f->known)
				continue;
			seg_init(&s, f);
			s.seq = f->t_ack;
			s.ack = f->t_nxt;
			s.flags = F_RST | (f->state == 3 ? F_ACK : 0);
			send_seg(&s);
		}
		flush_out();
		sleep_ms(150);
	}
}

static void parse_addr(const char *str, u32 *addr, u16 *port)
{
	char host[64];
	const char *colon = strrchr(str, ':');
	struct in_addr a;

	if (!colon || colon - str >= (int)sizeof(host))
		bad_usage();
	memcpy(host, str, colon - str);
	host[colon - str] = 0;
	if (inet_pton(AF_INET, host, &a) != 1)
		bad_usage();
	*addr = a.s_addr;
	*port = htons(atoi(colon + 1));
}

static void add_pair(enum kind kind, const char *arg)
{
	char a[64], *comma;
	struct flow *f;

	if (ntargets == MAX_TARGETS || strlen(arg) >= sizeof(a))
		bad_usage();
	snprintf(a, sizeof(a), "%s", arg);
	comma = strchr(a, ',');
	if (!comma)
		bad_usage();
	*comma = 0;
	f = &targets[ntargets++];
	f->kind = kind;
	parse_addr(a, &f->a_addr, &f->a_port);
	parse_addr(comma + 1, &f->b_addr, &f->b_port);
}

/* The MAC of @addr (network order) from the neighbour table, if there. */
static int arp_lookup(u32 addr, u8 *mac)
{
	char line[256], ip[64], hw[64];
	struct in_addr a = { addr };
	FILE *fp = fopen("/proc/net/arp", "r");
	int found = 0;

	if (!fp)
		return 0;
	while (fgets(line, sizeof(line), fp)) {
		if (sscanf(line, "%63s %*s %*s %63s", ip, hw) != 2)
			continue;
		if (strcmp(ip, inet_ntoa(a)) ||
		    sscanf(hw, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0],
			   &mac[1], &mac[2], &mac[3], &mac[4], &mac[5]) != 6)
			continue;
		found = 1;
	}
	fclose(fp);
	return found;
}

static void open_link(const char *dev, u32 dst)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	struct ifreq ifr = { 0 };
	int one = 1, big = 4 << 20;

	pfd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (pfd < 0)
		die("socket(AF_PACKET)");
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if (ioctl(pfd, SIOCGIFINDEX, &ifr) < 0)
		die(dev);
	ifindex = ifr.ifr_ifindex;
	if (ioctl(pfd, SIOCGIFHWADDR, &ifr) < 0)
		die("SIOCGIFHWADDR");
	memcpy(my_mac, ifr.ifr_hwaddr.sa_data, 6);
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = ifindex;
	if (bind(pfd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		die("bind(AF_PACKET)");
	setsockopt(pfd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));
	setsockopt(pfd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	if (setsockopt(pfd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)) < 0)
		setsockopt(pfd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	if (!dst_mac[0] && !dst_mac[1] && !dst_mac[2] && !dst_mac[3] &&
	    !dst_mac[4] && !dst_mac[5] && !arp_lookup(dst, dst_mac)) {
		fprintf(stderr, "xfuzz: no neighbour entry for the target\n");
		exit(1);
	}
}

static atomic_int stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int run(const char *dev, u64 max_segs, double max_secs, u64 progress)
{
	struct flow *est[MAX_TARGETS], *tw[MAX_TARGETS];
	int nest = 0, ntw = 0, i, failed;
	double t0, t;
	u64 next_progress = progress;

	if (!ntargets && !nlisten)
		bad_usage();
	for (i = 0; i < ALL_FLOWS; i++)
		own[i].kind = K_OWN;
	open_link(dev, ntargets ? targets[0].a_addr : listen_addr[0]);
	drain();
	failed = probe();
	for (i = 0; i < ntargets; i++) {
		if (!targets[i].known)
			continue;
		if (targets[i].kind == K_EST)
			est[nest++] = &targets[i];
		else
			tw[ntw++] = &targets[i];
	}
	t0 = now_s();
	while (!stop && n_segs < max_segs) {
		int own_live[ALL_FLOWS], nown = 0, b;

		for (i = 0; i < ALL_FLOWS; i++)
			if (own[i].known)
				own_live[nown++] = i;
		for (b = 0; b < BATCH && n_segs < max_segs; b++) {
			u32 r = rnd(100);

			if (r < 45 && nest)
				gen_est(est[rnd(nest)]);
			else if (r < 60 && ntw)
				gen_tw(tw[rnd(ntw)]);
			else if (r < 85 && nown)
				gen_mine(&own[own_live[rnd(nown)]]);
			else if (nlisten)
				gen_listen();
			else if (nest)
				gen_est(est[rnd(nest)]);
		}
		flush_out();
		drain();
		if (progress && n_segs >= next_progress) {
			printf("# progress segs=%llu secs=%.1f\n",
			       n_segs, now_s() - t0);
			fflush(stdout);
			next_progress += progress;
		}
		if (max_secs > 0 && (n_segs & 1023) < BATCH &&
		    now_s() - t0 >= max_secs)
			break;
	}
	t = now_s() - t0;
	if (t <= 0)
		t = 0.000001;
	printf("# xfuzz: %llu segments (%llu frames, %llu fragmented)",
	       n_segs, n_frames, n_frag);
	printf(" in %.1f s: %.0f segments/s\n", t, n_segs / t);
	printf("# xfuzz: %llu at learned 4-tuples (established, own children,", n_aimed);
	printf(" TIME_WAIT), %llu (%.0f%% of all)", n_inwin,
	       n_segs ? 100.0 * n_inwin / n_segs : 0.0);
	printf(" within 64 KiB above the RCV.NXT learned\n");
	printf("# xfuzz: %llu children of the listener, %llu of them", n_children, n_tws);
	printf(" taken to TIME_WAIT; %llu segments from the targets read back\n",
	       n_sniffed);
	if (act_port0)
		printf("# xfuzz: %llu SYNs of A's connects answered, %llu of them connected\n",
		       n_syns, n_active);
	printf("result segs=%llu frames=%llu secs=%.1f rate=%.0f", n_segs, n_frames,
	       t, n_segs / t);
	printf(" aimed=%llu inwin=%llu children=%llu tws=%llu\n", n_aimed, n_inwin,
	       n_children, n_tws);
	cleanup();
	return failed ? 1 : 0;
}

/* --active-port's application: connect, send a little, close; for ever. */
static int connector(const char *addr, int nports, long bytes)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	static char buf[65536];
	u64 tried = 0, connected = 0;
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	struct pollfd pfd1;
	int fd, err;
	socklen_t len;
	u16 port;

	parse_addr(addr, &sin.sin_addr.s_addr, &port);
	if (nports < 1 || nports > ACT_FLOWS)
		bad_usage();
	if (bytes > (long)sizeof(buf))
		bytes = sizeof(buf);
	for (int i = 0; i < bytes; i++)
		buf[i] = i % PATTERN_MOD;
	while (!stop) {
		sin.sin_port = htons(ntohs(port) + tried % nports);
		tried++;
		fd = socket(xtcp_family(), SOCK_STREAM | SOCK_NONBLOCK, 0);
		if (fd < 0) {
			printf("socket %s\n", strerrorname_np(errno));
			return 1;
		}
		if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 &&
		    errno != EINPROGRESS) {
			close(fd);
			sleep_ms(10);
			continue;
		}
		pfd1.fd = fd;
		pfd1.events = POLLOUT;
		err = 0;
		len = sizeof(err);
		if (poll(&pfd1, 1, 1000) == 1 &&
		    !getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) && !err) {
			connected++;
			send(fd, buf, bytes, MSG_DONTWAIT | MSG_NOSIGNAL);
			pfd1.events = POLLIN;
			if (poll(&pfd1, 1, 300) == 1)
				recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		}
		/*
		 * An abortive close (RST): xfuzz may forget a 4-tuple when A
		 * reuses its port, and an orphan left to it would outlive
		 * the test's wait for the socket counts.
		 */
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(fd);
	}
	printf("connected=%llu of %llu\n", connected, tried);
	return 0;
}

/* The listener's application: accept, send a little, close; for ever. */
static int serve(const char *addr, long bytes)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	static char buf[65536];
	u64 accepted = 0;
	int lfd, fd, one = 1;
	u16 port;

	parse_addr(addr, &sin.sin_addr.s_addr, &port);
	sin.sin_port = port;
	lfd = socket(xtcp_family(), SOCK_STREAM, 0);
	if (lfd < 0 ||
	    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    listen(lfd, 64)) {
		printf("listen %s\n", strerrorname_np(errno));
		return 1;
	}
	printf("listen port=%u\n", ntohs(port));
	fflush(stdout);
	if (bytes > (long)sizeof(buf))
		bytes = sizeof(buf);
	for (int i = 0; i < bytes; i++)
		buf[i] = i % PATTERN_MOD;
	while (!stop) {
		fd = accept(lfd, NULL, NULL);
		if (fd < 0) {
			if (errno == EINTR)
				continue;
			printf("accept %s\n", strerrorname_np(errno));
			continue;
		}
		accepted++;
		if (send(fd, buf, bytes, MSG_DONTWAIT | MSG_NOSIGNAL) < 0 &&
		    errno != EAGAIN && errno != EPIPE && errno != ECONNRESET)
			printf("send %s\n", strerrorname_np(errno));
		close(fd);
	}
	printf("accepted=%llu\n", accepted);
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct timespec ts;
	u64 seed, max_segs = 20000, progress = 0, x;
	double max_secs = 0;
	long serve_bytes = 3000;
	int seed_set = 0, i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	clock_gettime(CLOCK_REALTIME, &ts);
	seed = (u64)ts.tv_sec * 1000003 ^ ts.tv_nsec ^ getpid();
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v)
			bad_usage();
		i++;
		if (!strcmp(o, "--netns")) {
			enter_netns("xfuzz", v);
		} else if (!strcmp(o, "--seed")) {
			seed = strtoull(v, NULL, 0);
			seed_set = 1;
		} else if (!strcmp(o, "--segs")) {
			max_segs = strtoull(v, NULL, 0);
		} else if (!strcmp(o, "--secs")) {
			max_secs = atof(v);
		} else if (!strcmp(o, "--listen")) {
			if (nlisten == MAX_TARGETS)
				bad_usage();
			parse_addr(v, &listen_addr[nlisten],
				   &listen_port[nlisten]);
			nlisten++;
		} else if (!strcmp(o, "--est")) {
			add_pair(K_EST, v);
		} else if (!strcmp(o, "--tw")) {
			add_pair(K_TW, v);
		} else if (!strcmp(o, "--spoof")) {
			if (inet_pton(AF_INET, v, &spoof_addr) != 1)
				bad_usage();
		} else if (!strcmp(o, "--active-port")) {
			act_port0 = atoi(v);
		} else if (!strcmp(o, "--own-port")) {
			own_port0 = atoi(v);
		} else if (!strcmp(o, "--inject")) {
			inject_max = strtoul(v, NULL, 0);
		} else if (!strcmp(o, "--pcap")) {
			static const u32 hdr[6] = { 0xa1b2c3d4, 0x00040002, 0,
						    0, 65535, 1 };

			pcap = fopen(v, "w");
			if (!pcap)
				die(v);
			fwrite(hdr, sizeof(hdr), 1, pcap);
		} else if (!strcmp(o, "--no-guard")) {
			no_guard = atoi(v);
		} else if (!strcmp(o, "--progress")) {
			progress = strtoull(v, NULL, 0);
		} else if (!strcmp(o, "--serve-bytes")) {
			serve_bytes = atol(v);
		} else {
			bad_usage();
		}
	}
	if (inject_max < 2048 || inject_max > (64 << 20))
		bad_usage();
	argc -= i;
	argv += i;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (argc == 3 && !strcmp(argv[0], "connect"))
		return connector(argv[1], atoi(argv[2]), serve_bytes);
	if (argc != 2)
		bad_usage();
	if (!strcmp(argv[0], "serve"))
		return serve(argv[1], serve_bytes);
	if (strcmp(argv[0], "run"))
		bad_usage();
	x = seed;
	for (i = 0; i < 4; i++)
		rs[i] = splitmix(&x);
	printf("# xfuzz: seed=%llu%s\n", seed,
	       seed_set ? "" : " (from the clock; XTCP_FUZZ_SEED replays it)");
	return run(argv[1], max_segs, max_secs, progress);
}
