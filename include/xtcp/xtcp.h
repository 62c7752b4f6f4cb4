/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xtcp internal interfaces shared between the module's files.
 *
 * States are Linux's TCP_* numbers (TCP_ESTABLISHED = 1 ... TCP_CLOSING =
 * 11), kept in sk->sk_state, so /proc/net/xtcp shows the codes of
 * /proc/net/tcp and tools that know one read the other.
 */
#ifndef _XTCP_XTCP_H
#define _XTCP_XTCP_H

#include <linux/hrtimer.h>
#include <linux/list.h>
#include <linux/rhashtable-types.h>
#include <linux/siphash.h>
#include <linux/workqueue.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/netns/generic.h>
#include <net/sock.h>
#include <net/tcp_states.h>
#include <xtcp/cc.h>
#include <xtcp/dsack.h>
#include <xtcp/mtuprobe.h>
#include <xtcp/ooo.h>
#include <xtcp/sackboard.h>
#include <xtcp/rtt.h>
#include <xtcp/rack.h>

struct xtcp_net;

/**
 * struct xtcp_key - a connection's 4-tuple, from the local side
 * @laddr: local address
 * @raddr: remote address
 * @lport: local port
 * @rport: remote port
 */
struct xtcp_key {
	__be32 laddr;
	__be32 raddr;
	__be16 lport;
	__be16 rport;
};

/**
 * struct xtcp_key6 - an IPv6 connection's 4-tuple, from the local side
 * @laddr: local address
 * @raddr: remote address
 * @lport: local port
 * @rport: remote port
 *
 * IPv6 entries are in a table of their own (xtcp_net.conns6), so that an
 * IPv4 entry keeps its 12-byte key.
 */
struct xtcp_key6 {
	struct in6_addr laddr;
	struct in6_addr raddr;
	__be16 lport;
	__be16 rport;
};

/* What a connection table entry is. */
enum xtcp_hkind {
	XTCP_HK_SOCK,
	XTCP_HK_TW,
	XTCP_HK_REQ,
};

/**
 * struct xtcp_hnode - an entry of the connection table
 * @node: rhashtable linkage
 * @key: the 4-tuple it is found by
 * @kind: a full socket, a TIME_WAIT entry or an embryonic connection
 *	(enum xtcp_hkind)
 * @v6: an IPv6 entry: the node is the head of a struct xtcp_hnode6, in
 *	xtcp_net.conns6; @key then holds the ports, and 32-bit folds of
 *	the addresses, which nothing compares (the tracepoints and
 *	sock_diag read the key6)
 *
 * @v6 lives in what was padding: an IPv4 entry is no bigger than before.
 */
struct xtcp_hnode {
	struct rhash_head node;
	struct xtcp_key key;
	u8 kind;
	u8 v6;
};

/**
 * struct xtcp_hnode6 - an IPv6 entry of the connection table
 * @h: the entry, @h.v6 set
 * @key6: the 4-tuple it is found by
 *
 * An object that may be an IPv6 entry ends with its struct xtcp_hnode,
 * which @key6 then follows (struct xtcp_tw, struct xtcp_req), or holds a
 * union of the two (struct xtcp_sock).
 */
struct xtcp_hnode6 {
	struct xtcp_hnode h;
	struct xtcp_key6 key6;
};

static inline struct xtcp_key6 *xtcp_hkey6(struct xtcp_hnode *h)
{
	return &container_of(h, struct xtcp_hnode6, h)->key6;
}

/**
 * struct xtcp_port - a local port xtcp uses in a namespace
 * @hlist: in the namespace's port hash
 * @num: the port, host order
 * @refs: sockets and TIME_WAIT entries bound to it
 * @owners: the sockets bound to it (struct xtcp_sock.bind_node)
 * @tw_count: TIME_WAIT entries holding it
 * @shadow: a Linux TCP socket bound to the same port (or hashed under the
 *	connection's 4-tuple), so that Linux TCP neither hands the port out
 *	nor lets anybody bind it; a bare struct sock, without the struct
 *	socket and inode a user's socket has (xtcp_shadow_detach())
 * @free_work: releases @shadow, which may sleep, outside softirq context
 * @net: the namespace
 */
struct xtcp_port {
	struct hlist_node hlist;
	u16 num;
	refcount_t refs;
	struct hlist_head owners;
	int tw_count;
	struct sock *shadow;
	struct work_struct free_work;
	struct net *net;
};

/*
 * A connection's timers, by index in xtcp_sock.timer_due[]: one hrtimer
 * serves them all (timer.c). Also the order in which those due at once
 * run.
 */
enum {
	XTCP_TIMER_RTX,
	XTCP_TIMER_FW2,
	XTCP_TIMER_KEEPALIVE,
	XTCP_TIMER_DELACK,
	XTCP_TIMER_PERSIST,
	XTCP_NR_TIMERS,
};

/* xtcp_sock.timer_flags */
enum {
	XTCP_TF_HELD,		/* the hrtimer owns a socket reference */
	XTCP_TF_DEFERRED,	/* it fired while the user held the lock */
};

/**
 * struct xtcp_listenq - what only a listener holds: its queues
 * @syn_q: children in SYN_RECEIVED (only for the moment between a
 *	handshake's last ACK and ESTABLISHED: embryonic connections are
 *	struct xtcp_req entries, on @req_q)
 * @req_q: embryonic connections (request.c)
 * @accept_q: children established and not yet accepted
 * @lock: protects the queues, their lengths and @fo_qlen
 * @syn_qlen: length of @syn_q and @req_q together
 * @accept_qlen: length of @accept_q
 * @fo_qlen: Fast Open children in SYN_RECEIVED
 * @synq_overflow: jiffies when the SYN queue was last full (or cookies
 *	sent), 0 for never: ACKs are checked as cookies for
 *	XTCP_COOKIE_VALID after it
 *
 * Allocated by the first listen() (xtcp_listen_start()) and freed with
 * the socket, so that the many sockets that never listen do not carry
 * it: 72 bytes of every connection otherwise.
 */
struct xtcp_listenq {
	struct list_head syn_q;
	struct list_head req_q;
	struct list_head accept_q;
	spinlock_t lock;		/* see @lock above */
	u32 syn_qlen;
	u32 accept_qlen;
	u32 fo_qlen;
	unsigned long synq_overflow;
};

/**
 * struct xtcp_sock - an xtcp socket, its members grouped by concern as
 *	struct tcp_sock's are
 * @inet: the IPv4 socket; first, so inet_sk() and the IP layer work on us
 * @h: connection table entry (key = 4-tuple), hashed once the tuple is known
 * @h6: the same entry for an IPv6 connection (@h.v6 set)
 * @hashed: @h is in the connection table
 * @tclass: IPV6_TCLASS, the traffic class of its IPv6 headers
 * @hop_limit: IPV6_UNICAST_HOPS, -1 for the route's hop limit
 * @dst_cookie: the IPv6 route's cookie, for checking the one in
 *	sk_dst_cache (output.c), as Linux's ipv6_pinfo.dst_cookie
 * @port: local port reservation, or NULL before bind
 * @bind_node: in @port's owners
 * @recverr6: IPV6_RECVERR: ICMPv6 errors reported at once (icmp.c); an
 *	xtcp socket has no ipv6_pinfo to keep it in
 * @v4mapped: an IPv6 socket whose connection is IPv4: it shows its
 *	addresses as v4-mapped IPv6 ones (ipv6.c)
 * @orphan: closed by its program while not CLOSED, and counted in
 *	xtcp_net.orphans until it is freed (timer.c)
 * @nodelay: TCP_NODELAY
 * @cork: TCP_CORK
 * @fin_queued: the user closed its sending side: a FIN follows the data
 * @snd_urg: urgent mode: SND.UP is not acknowledged yet, segments before
 *	it carry URG
 * @iss: initial send sequence number
 * @snd_una: oldest unacknowledged sequence number
 * @snd_nxt: next sequence number to send
 * @snd_max: highest sequence number sent (SND.NXT goes back after an RTO)
 * @write_seq: sequence number of the next byte the user queues
 * @snd_wnd: send window the peer offers
 * @snd_wl1: segment sequence number of the last window update
 * @snd_wl2: segment acknowledgment number of the last window update
 * @max_window: largest window the peer offered (sender SWS avoidance)
 * @snd_up: SND.UP, one past the last byte of the last send(MSG_OOB)
 *	(valid with @snd_urg; mod/urgent.c)
 * @notsent_lowat: TCP_NOTSENT_LOWAT, 0 for net.xtcp.notsent_lowat
 * @mss: effective send MSS (RFC 9293 3.7.1)
 * @mss_full: the effective send MSS the handshake allowed: a path MTU
 *	learned from ICMP lowers @mss below it, and @mss grows back to it
 *	once the route takes larger packets again (xtcp_mtu_grown())
 * @irs: initial receive sequence number
 * @rcv_nxt: next sequence number expected
 * @rcv_wnd: the window last advertised, bytes
 * @rcv_adv: right edge of the window last advertised (never moves back)
 * @rcv_acked: RCV.NXT as last acknowledged (delayed ACK, RFC 7323 4.3)
 * @copied_seq: first sequence number the user has not read yet (FIONREAD)
 * @urg_seq: the urgent byte's sequence number (valid unless @urg_state
 *	is XTCP_URG_NONE)
 * @urg_state: what we know of the peer's urgent byte (enum xtcp_urg_state)
 * @urg_byte: the urgent byte, with XTCP_URG_VALID
 * @rcv_mss: the largest payload received, the peer's sending MSS as far
 *	as we can tell (TCP_INFO)
 * @scaling_ratio: payload per byte of receive memory, in 1/256ths,
 *	measured on full-sized segments (include/xtcp/mem.h)
 * @rcvq_space: bytes the user read in the last round trip measured
 *	(receive buffer autotuning, xtcp_rcv_space_adjust())
 * @rcvq_seq: @copied_seq when that round trip began
 * @rcvq_stamp_us: when it began, 0 before the first read
 * @ooo: out-of-order receive queue
 * @dsack: the duplicate range the next segment reports first (RFC 2883,
 *	valid with @dsack_pending; receiver.c, output.c)
 * @dsack_pending: @dsack waits to be sent
 * @snd_wscale: the peer's window scale shift (RFC 7323), 0 without
 * @rcv_wscale: our window scale shift, 0 without
 * @adv_mss: MSS announced to the peer, from the route's MTU
 * @ts_recent: the peer's timestamp to echo (RFC 7323 TS.Recent)
 * @user_mss: TCP_MAXSEG set by the user, 0 for none: clamps what we
 *	announce and send
 * @wscale_ok: window scaling negotiated
 * @ts_ok: timestamps negotiated
 * @sack_ok: SACK negotiated
 * @timer: the one hrtimer behind all of the connection's timers: it fires
 *	at the earliest @timer_due, or earlier (timer.c)
 * @timer_due: when each XTCP_TIMER_* is due, CLOCK_MONOTONIC ns; 0: it
 *	does not run (retransmission, FIN_WAIT_2, keepalive, delayed ACK,
 *	zero-window probe)
 * @timer_flags: XTCP_TF_* bits (timer.c)
 * @retries: RTO expiries since the last new acknowledgment
 * @backoff: doublings of the RTO in force: one per expiry, as @retries,
 *	but an ICMP unreachable about the segment at SND.UNA takes one back
 *	(RFC 6069, xtcp_rto_revert())
 * @probes: zero-window probes since the window closed (their backoff)
 * @probes_out: zero-window probes not answered by any ACK
 * @keepcnt: TCP_KEEPCNT, 0 for the default
 * @ka_probes: keepalive probes sent since the peer was last heard from
 * @keepidle: TCP_KEEPIDLE in seconds, 0 for the default
 * @keepintvl: TCP_KEEPINTVL in seconds, 0 for the default
 * @user_timeout: TCP_USER_TIMEOUT in ms, 0 for none (RFC 5482)
 * @rtx_stamp: jiffies at the first retransmission of the oldest
 *	unacknowledged segment, as Linux's retrans_stamp (R1, R2,
 *	TCP_USER_TIMEOUT)
 * @rcv_tstamp: jiffies when the last segment arrived (keepalive, TCP_INFO)
 * @data_tstamp: jiffies when the last segment with data arrived (TCP_INFO)
 * @oow_ack_stamp: jiffies of the last ACK sent to an out-of-window pure
 *	ACK (xtcp_send_oow_ack())
 * @rtt: RTT estimator and RTO (RFC 6298)
 * @cc: congestion window and its algorithm
 * @recover: RFC 6582 "recover": SND.MAX when loss recovery began
 * @high_rxt: RFC 6675 HighRxt: highest sequence number retransmitted
 * @rtx_mark: SND.MAX when SND.UNA's segment was last retransmitted in
 *	recovery (valid with @rtx_marked): SACKs for data above it show
 *	that the retransmission was lost too
 * @dupacks: duplicate ACKs in a row
 * @in_recovery: in fast recovery (RFC 6582 / RFC 6675)
 * @rtx_marked: @rtx_mark is set
 * @sb: SACK scoreboard of the send side
 * @rack: RACK-TLP: the log of transmissions, the latest delivery, the
 *	probe, what the retransmission timer does (recovery.c)
 * @mtup: packetization-layer path-MTU discovery (mtuprobe.c)
 * @undo_marker: SND.UNA when the recovery episode that may still be
 *	undone began (valid with @undo_on; sender.c)
 * @undo_high: SND.MAX then: what the episode resent lies below
 * @undo_retrans: bytes the episode resent that no D-SACK has reported
 *	yet; at 0 the episode's window reduction is undone
 * @undo_seen: what D-SACKs reported of the episode: a range counts once
 * @undo_on: a recovery episode may still be undone by D-SACKs
 *	(and by timestamps, while @undo_ts_check)
 * @undo_tsval: TSval of the first retransmission of the episode, or of
 *	the tail loss probe in flight when it began (valid with @undo_ts;
 *	output.c stamps it, include/xtcp/undo.h)
 * @ts_first: the first TSval the connection sent (valid with @ts_sent)
 * @ts_last: the latest TSval it sent
 * @ts_sent: a TSval went out; @ts_first holds it
 * @undo_ts: @undo_tsval is set
 * @undo_ts_check: the episode waits for its first ACK of new data: the
 *	one whose echo decides whether it was spurious (RFC 3522)
 * @ecn_ok: ECN (RFC 3168) is in use: asked for in our SYN until the
 *	SYN-ACK says, then negotiated (ecn.c)
 * @ecn_demand_cwr: a CE mark arrived: every segment carries ECE until
 *	the peer's CWR
 * @ecn_queue_cwr: the window was reduced: the next new data carries CWR
 * @ecn_seen: ECT or CE arrived (TCPI_OPT_ECN_SEEN)
 * @ecn_cwr: a window reduction for ECE is under way, until SND.UNA
 *	passes @ecn_cwr_high
 * @ecn_cwr_high: SND.MAX when the window was reduced for ECE
 * @total_retrans: segments retransmitted over the connection's life
 * @bytes_acked: payload bytes the peer acknowledged (TCP_INFO)
 * @bytes_received: payload bytes received in order (TCP_INFO)
 * @segs_in: segments received in synchronized states (TCP_INFO)
 * @in_accept_q: a child in its listener's accept_q rather than syn_q;
 *	written under the child's lock and the queues' lock, meaningful
 *	only while @child_node is linked (acceptq.c)
 * @listener: a passive child until it is accepted: its listener
 * @child_node: a child, in its listener's syn_q or accept_q
 * @lq: a listener's queues, from its first listen() to its end; NULL
 *	for a socket that never listened
 * @fo_max_qlen: TCP_FASTOPEN: Fast Open children a listener lets wait
 *	for their handshake's ACK at once, 0 for no Fast Open (set before
 *	listen(), so not in @lq)
 * @fo_listener: a Fast Open child in SYN_RECEIVED: the listener whose
 *	@fo_qlen counts it, referenced (fastopen.c)
 * @fo_syn_len: a client's data bytes that went in its SYN
 * @fo_child: a passive Fast Open child still counted by @fo_listener
 * @fo_connect: TCP_FASTOPEN_CONNECT
 * @fo_defer: connect() left the SYN for the first write (Fast Open)
 * @fo_req: our SYN carries the Fast Open option: a cookie or a request
 * @syn_data: data went in the SYN and was acknowledged by the SYN-ACK
 *	(client), or came in the SYN and was taken (server):
 *	TCPI_OPT_SYN_DATA
 */
struct xtcp_sock {
	/*
	 * Identity: the socket, its 4-tuple in the connection table, its
	 * port, the IPv6 options it keeps for want of an ipv6_pinfo, the
	 * family it shows, whether its program still holds it
	 */
	struct inet_sock inet;
	union {
		struct xtcp_hnode h;
		struct xtcp_hnode6 h6;
	};
	bool hashed;
	u8 tclass;
	s16 hop_limit;
	u32 dst_cookie;
	struct xtcp_port *port;
	struct hlist_node bind_node;
	u8 recverr6:1,
	   v4mapped:1,
	   orphan:1;

	/*
	 * Send sequence space (RFC 9293 3.3.1), the send window, and what
	 * holds data back or lets it go: Nagle, TCP_CORK, the FIN, urgent
	 * mode, TCP_NOTSENT_LOWAT. The bits share a byte with those above.
	 */
	u8 nodelay:1,
	   cork:1,
	   fin_queued:1,
	   snd_urg:1;
	u32 iss;
	u32 snd_una;
	u32 snd_nxt;
	u32 snd_max;
	u32 write_seq;
	u32 snd_wnd;
	u32 snd_wl1;
	u32 snd_wl2;
	u32 max_window;
	u32 snd_up;
	u32 notsent_lowat;
	u16 mss;
	u16 mss_full;

	/* Receive sequence space and the receive window */
	u32 irs;
	u32 rcv_nxt;
	u32 rcv_wnd;
	u32 rcv_adv;
	u32 rcv_acked;
	u32 copied_seq;
	u32 urg_seq;
	u8 urg_state;
	u8 urg_byte;
	u16 rcv_mss;
	u8 scaling_ratio;
	u32 rcvq_space;
	u32 rcvq_seq;
	u64 rcvq_stamp_us;
	struct xtcp_ooo ooo;
	struct xtcp_sack_block dsack;
	bool dsack_pending;

	/*
	 * Options negotiated in the handshake, and the user's; TCP Fast
	 * Open's (fastopen.c) bits share their byte, its fo_syn_len last
	 * (no holes: an idle connection pays for every byte)
	 */
	u8 snd_wscale;
	u8 rcv_wscale;
	u8 wscale_ok:1,
	   ts_ok:1,
	   sack_ok:1;
	u8 fo_child:1,
	   fo_connect:1,
	   fo_defer:1,
	   fo_req:1,
	   syn_data:1;
	u16 adv_mss;
	u16 user_mss;
	u32 ts_recent;
	u16 fo_syn_len;

	/* Timers (timer.c) and what they count */
	struct hrtimer timer;
	u64 timer_due[XTCP_NR_TIMERS];
	unsigned long timer_flags;
	u8 retries;
	u8 backoff;
	u8 probes;
	u8 probes_out;
	u8 keepcnt;
	u8 ka_probes;
	u16 keepidle;
	u16 keepintvl;
	u32 user_timeout;
	u32 rtx_stamp;
	u32 rcv_tstamp;
	u32 data_tstamp;
	unsigned long oow_ack_stamp;

	/* RTT, congestion control and loss recovery */
	struct xtcp_rtt rtt;
	struct xtcp_cc cc;
	u32 recover;
	u32 high_rxt;
	u32 rtx_mark;
	u8 dupacks;
	u8 in_recovery:1,
	   rtx_marked:1;
	struct xtcp_sackboard *sb;
	struct xtcp_rack rack;
	struct xtcp_mtup mtup;
	u32 undo_marker;
	u32 undo_high;
	u32 undo_retrans;
	struct xtcp_dsack_seen undo_seen;
	u32 undo_tsval;
	u32 ts_first;
	u32 ts_last;
	bool undo_on;
	/* These bits and ECN's share a byte: all change under the lock. */
	u8 ts_sent:1,
	   undo_ts:1,
	   undo_ts_check:1;
	u8 ecn_ok:1,
	   ecn_demand_cwr:1,
	   ecn_queue_cwr:1,
	   ecn_seen:1,
	   ecn_cwr:1;
	u32 ecn_cwr_high;

	/* Statistics (TCP_INFO) */
	u32 total_retrans;
	u64 bytes_acked;
	u64 bytes_received;
	u32 segs_in;

	/* A listener's queues, and a passive child's place in them */
	u8 in_accept_q:1;
	u32 fo_max_qlen;
	struct xtcp_sock *listener;
	struct list_head child_node;
	struct xtcp_listenq *lq;
	struct xtcp_sock *fo_listener;
};

static inline struct xtcp_sock *xtcp_sk(const struct sock *sk)
{
	return (struct xtcp_sock *)sk;
}

/*
 * A listener's accept queue length, for readers without the socket lock
 * (poll, /proc, diag): 0 for a socket that never listened. Once set, @lq
 * stays until the socket is freed.
 */
static inline u32 xtcp_accept_qlen(const struct xtcp_sock *xs)
{
	/* Pairs with xtcp_listenq_alloc()'s release: @lq's lists are set. */
	const struct xtcp_listenq *lq = smp_load_acquire(&xs->lq);

	return lq ? READ_ONCE(lq->accept_qlen) : 0;
}

extern const struct xtcp_sackboard xtcp_sb_empty;

/*
 * The SACK scoreboard, to read. Only a connection whose peer has SACKed
 * something needs one: it is allocated then (xtcp_take_sack(), sender.c),
 * and until then every connection reads the same empty board.
 */
static inline const struct xtcp_sackboard *xtcp_sb(const struct xtcp_sock *xs)
{
	return xs->sb ? xs->sb : &xtcp_sb_empty;
}

/*
 * A passive Fast Open child before the handshake's ACK: it may send (its
 * SYN-ACK acknowledged the peer's data), as Linux's tcp_passive_fastopen().
 */
static inline bool xtcp_fo_child_sending(const struct sock *sk)
{
	return sk->sk_state == TCP_SYN_RECV && xtcp_sk(sk)->fo_child;
}

/* xtcp_tw.flags: the socket was an IPv6 one shown v4-mapped */
#define XTCP_TW_MAPPED	1
/* xtcp_tw.flags: the connection agreed to timestamps (RFC 7323) */
#define XTCP_TW_TS	2

/**
 * struct xtcp_tw - a connection in TIME_WAIT, kept small (no socket)
 * @port: the local port, still reserved
 * @net: the namespace
 * @snd_nxt: our next sequence number (our FIN acknowledged)
 * @rcv_nxt: next sequence number expected (after the peer's FIN)
 * @timer: fires 2*MSL after the last FIN, then the entry goes
 * @flags: bit 0 set once the entry is dead; XTCP_TW_MAPPED, XTCP_TW_TS
 * @rcu: deferred free, lookups run under RCU
 * @lock: serialises arming @timer with the entry's end (timewait.c)
 * @bound_dev_if: the socket's SO_BINDTODEVICE, which still applies
 * @cookie: the socket's cookie, which sock_diag still reports (as
 *	struct inet_diag_sockid.idiag_cookie)
 * @h: connection table entry, replacing the socket's; last, so that an
 *	IPv6 entry is allocated with its struct xtcp_hnode6 key after it
 */
struct xtcp_tw {
	struct xtcp_port *port;
	struct net *net;
	u32 snd_nxt;
	u32 rcv_nxt;
	struct hrtimer timer;
	unsigned long flags;
	struct rcu_head rcu;
	spinlock_t lock;		/* see @lock above */
	int bound_dev_if;
	u32 cookie[2];
	struct xtcp_hnode h;
};

/*
 * An IPv4 address as Linux shows it for an AF_INET6 socket (sock_diag,
 * /proc/net/tcp6): v4-mapped, but the any address (a listener's remote
 * end) stays ::, as sk_v6_daddr is.
 */
static inline void xtcp_addr_map(__be32 addr, struct in6_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (addr)
		ipv6_addr_set_v4mapped(addr, out);
}

/**
 * xtcp_hnode_mapped() - is @h an IPv4 entry that Linux would show as IPv6?
 * @h: an entry of the IPv4 connection table
 *
 * A listener, connection or TIME_WAIT entry of an IPv6 socket whose
 * connection is IPv4 (ipv6.c: v4mapped). Linux's AF_INET6 sockets stay
 * AF_INET6 whatever they reach, so sock_diag (diag.c) and /proc/net/tcp6
 * (proc.c) list them with v4-mapped addresses, a timewait sock too
 * (tw_family is its socket's). An embryonic connection is not one: xtcp's
 * sock_diag answers it AF_INET.
 *
 * Return: true for such an entry.
 */
static inline bool xtcp_hnode_mapped(struct xtcp_hnode *h)
{
	switch (h->kind) {
	case XTCP_HK_SOCK:
		return container_of(h, struct xtcp_sock, h)->v4mapped;
	case XTCP_HK_TW:
		return test_bit(XTCP_TW_MAPPED,
				&container_of(h, struct xtcp_tw, h)->flags);
	}
	return false;
}

/**
 * struct xtcp_net - per network namespace state
 * @proc_sockstat: /proc/net/xtcp_sockstat, removed with the namespace
 * @sysctl_hdr: the net.xtcp.* sysctl table of this namespace (sysctl.c)
 * @msl_ms: net.xtcp.msl_ms, Maximum Segment Lifetime; TIME_WAIT lasts 2 MSL
 * @syn_retries: net.xtcp.syn_retries, SYN retransmissions before ETIMEDOUT
 * @synack_retries: net.xtcp.synack_retries, SYN-ACK retransmissions
 * @fin_timeout_ms: net.xtcp.fin_timeout_ms, how long an orphaned
 *	connection waits in FIN_WAIT_2 for the peer's FIN
 * @port_range: net.xtcp.ip_local_port_range, ephemeral ports [lo, hi]
 * @max_syn_backlog: net.xtcp.max_syn_backlog, SYN_RECEIVED children per
 *	listener at most
 * @challenge_ack_limit: net.xtcp.challenge_ack_limit, challenge ACKs
 *	(RFC 5961) sent per second at most
 * @rto_min_ms: net.xtcp.rto_min_ms, the least retransmission timeout
 * @invalid_ratelimit_ms: net.xtcp.invalid_ratelimit_ms, the least time
 *	between two ACKs a connection sends to out-of-window pure ACKs
 * @gso: net.xtcp.gso, new data goes in GSO super-segments (1) or one
 *	segment per skb (0)
 * @cc_name: net.xtcp.congestion_control, the algorithm new connections
 *	get; read it with xtcp_cc_default()
 * @mib: per-cpu counters, indexed by enum xtcp_mib_field (mib.c)
 * @conns: connection table: sockets, listeners and TIME_WAIT entries
 * @conns6: the same for IPv6 (struct xtcp_hnode6, keyed by xtcp_key6)
 * @ports: local ports in use by port number
 * @lock: serialises changes to @ports
 * @bind_mutex: serialises bind() and autobind, which may sleep
 * @nf_registered: the receive hook is registered
 * @challenge_stamp: second (jiffies / HZ) of the current challenge ACK
 *	budget (read and written without a lock: output.c)
 * @challenge_count: challenge ACKs left in that second's budget
 * @socks: xtcp socks alive in the namespace: user sockets, children,
 *	orphans (for /proc/net/xtcp_sockstat and leak tests)
 * @min_snd_mss: net.xtcp.min_snd_mss, the least send MSS a peer's MSS
 *	option can make (as tcp_min_snd_mss)
 * @orphan_retries: net.xtcp.orphan_retries, RTO or zero-window probe
 *	backoffs an orphan gets, 0 for 8 (as tcp_orphan_retries)
 * @max_orphans: net.xtcp.max_orphans, orphans at most; a socket closed
 *	beyond that is reset (as tcp_max_orphans)
 * @orphans: orphans in the namespace (timer.c)
 * @syncookies: net.xtcp.syncookies, as tcp_syncookies: 0 never, 1 when a
 *	listener's SYN queue is full, 2 always
 * @rmem: net.xtcp.rmem, receive buffer bytes: min, initial, max (as
 *	tcp_rmem; include/xtcp/mem.h)
 * @wmem: net.xtcp.wmem, send buffer bytes: min, initial, max (tcp_wmem)
 * @retries1: net.xtcp.retries1, R1: past the time this many backed-off
 *	RTOs take, each RTO gives IP negative advice (as tcp_retries1)
 * @retries2: net.xtcp.retries2, R2: data unacknowledged for the time this
 *	many backed-off RTOs take ends the connection (as tcp_retries2)
 * @defrag6: netfilter's IPv6 defragmentation is on for xtcp (ipv6.c)
 * @mtu_probing: net.xtcp.mtu_probing, as tcp_mtu_probing: 0 off, 1 after
 *	a black hole, 2 always (mtuprobe.c)
 * @base_mss: net.xtcp.base_mss, the MSS probing starts from
 * @mtu_probe_floor: net.xtcp.mtu_probe_floor, the least MSS black hole
 *	detection lowers to
 * @probe_threshold: net.xtcp.probe_threshold, bytes: the search ends
 *	when its range is narrower
 * @probe_interval: net.xtcp.probe_interval, seconds until an ended search
 *	starts again
 * @recovery: net.xtcp.recovery, loss detection bits: XTCP_RECOVERY_RACK
 *	for RACK (RFC 8985), as tcp_recovery
 * @tlp: net.xtcp.tlp, tail loss probes (RFC 8985 7) on (1) or off (0)
 * @prr: net.xtcp.prr, Proportional Rate Reduction (RFC 6937) in SACK
 *	recovery on (1) or off (0: the window is ssthresh at once)
 * @dsack: net.xtcp.dsack, D-SACK (RFC 2883) sent by the receiver on (1)
 *	or off (0), as tcp_dsack
 * @ts_undo: net.xtcp.ts_undo, undo of a recovery episode whose first
 *	ACK echoes a timestamp older than its retransmission (RFC 3522
 *	Eifel detection) on (1) or off (0)
 * @ecn: net.xtcp.ecn, ECN (RFC 3168) as tcp_ecn: 0 off, 1 asked for and
 *	agreed to, 2 agreed to when asked (include/xtcp/ecn.h)
 * @fastopen: net.xtcp.fastopen, TCP Fast Open (RFC 7413) as tcp_fastopen:
 *	bits XTCP_FO_* (include/xtcp/fastopen.h)
 * @hystart: net.xtcp.hystart, HyStart++ (RFC 9406) in the first slow
 *	start of new connections: 1 on, 0 RFC 5681's plain slow start
 * @rfc1337: net.xtcp.rfc1337, as tcp_rfc1337: 1 ignores an RST in
 *	TIME_WAIT (RFC 1337's remedy for TIME-WAIT assassination), 0 lets
 *	an RST at RCV.NXT end the wait
 * @fo_key: the secret of the namespace's Fast Open cookies (fastopen.c)
 * @fo_lock: protects @fo_lru, @fo_hash and @fo_count
 * @fo_lru: the client's cookie cache, least recently used first
 * @fo_hash: the same entries by server address
 * @fo_count: entries in the cache, at most XTCP_FO_CACHE_MAX
 */
struct xtcp_net {
	struct proc_dir_entry *proc_sockstat;
	struct ctl_table_header *sysctl_hdr;
	int msl_ms;
	int syn_retries;
	int synack_retries;
	int fin_timeout_ms;
	int port_range[2];
	int max_syn_backlog;
	int challenge_ack_limit;
	int rto_min_ms;
	int invalid_ratelimit_ms;
	int gso;
	char cc_name[XTCP_CC_NAME_MAX];
	unsigned long __percpu *mib;

	struct rhashtable conns;
	struct rhashtable conns6;
	struct hlist_head ports[256];
	spinlock_t lock;		/* ports */
	struct mutex bind_mutex;	/* bind() and autobind */
	bool nf_registered;
	unsigned long challenge_stamp;
	u32 challenge_count;
	atomic_t socks;
	int min_snd_mss;
	int orphan_retries;
	int max_orphans;
	atomic_t orphans;
	int syncookies;
	int rmem[3];
	int wmem[3];
	int retries1;
	int retries2;
	bool defrag6;
	int mtu_probing;
	int base_mss;
	int mtu_probe_floor;
	int probe_threshold;
	int probe_interval;
	int recovery;
	int tlp;
	int prr;
	int dsack;
	int ts_undo;
	unsigned int notsent_lowat;
	int ecn;
	int fastopen;
	int hystart;
	int rfc1337;
	siphash_key_t fo_key;
	spinlock_t fo_lock;		/* see @fo_lock above */
	struct list_head fo_lru;
	struct hlist_head fo_hash[64];
	unsigned int fo_count;
};

extern int xtcp_family;
extern struct proto xtcp_prot;

extern unsigned int xtcp_net_id;	/* pernet.c registers it */

/**
 * xtcp_net() - xtcp's state for a namespace
 * @net: the namespace
 *
 * Return: the state; valid from pernet init to pernet exit.
 */
static inline struct xtcp_net *xtcp_net(const struct net *net)
{
	return net_generic(net, xtcp_net_id);
}

/* family.c, sock.c */
int xtcp_sock_init(struct net *net, struct socket *sock, int kern);
int xtcp_family_register(void);
void xtcp_family_unregister(void);

/* pernet.c, sysctl.c, proc.c */
int xtcp_pernet_register(void);
void xtcp_pernet_unregister(void);
int xtcp_sysctl_init(struct net *net);
void xtcp_sysctl_exit(struct net *net);
const struct xtcp_cc_ops *xtcp_cc_default(struct net *net);
int xtcp_proc_init(struct net *net);
void xtcp_proc_exit(struct net *net);

/* diag.c */
int xtcp_diag_register(void);
void xtcp_diag_unregister(void);

#endif /* _XTCP_XTCP_H */
