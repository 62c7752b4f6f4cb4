/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Embryonic connections (request.c): what a listener keeps between a SYN
 * and the ACK of its SYN-ACK, as Linux's request_sock.
 */
#ifndef _XTCP_REQUEST_H
#define _XTCP_REQUEST_H

#include <xtcp/proto.h>

/**
 * struct xtcp_req - an embryonic connection, in SYN_RECEIVED
 * @node: in the listener's req_q (under its lq->lock)
 * @listener: the listener, referenced until the entry is freed
 * @timer: retransmits the SYN-ACK, and ends the entry after
 *	net.xtcp.synack_retries of them
 * @rcu: deferred free: lookups run under RCU
 * @lock: serialises the timer's decisions with the entry's end
 * @flags: bit XTCP_REQ_DEAD once the entry is ending
 * @synack_us: when the first SYN-ACK left, for the first RTT sample
 * @oow_stamp: jiffies of the last answer to a retransmitted SYN or an
 *	unacceptable segment (xtcp_ratelimited())
 * @iss: our ISN
 * @irs: the peer's ISN
 * @ts_recent: the SYN's TSval, echoed in our SYN-ACKs
 * @peer_mss: the SYN's MSS option, 0 if none
 * @adv_mss: the MSS our SYN-ACK announces
 * @snd_wnd: the SYN's window (never scaled)
 * @rcv_wnd: the window our SYN-ACK offers
 * @snd_wscale: the SYN's window scale shift
 * @rcv_wscale: the shift our SYN-ACK offers
 * @retries: SYN-ACKs retransmitted
 * @wscale_ok: window scaling agreed (RFC 7323)
 * @sack_ok: SACK agreed (RFC 2018)
 * @ts_ok: timestamps agreed (RFC 7323)
 * @ecn_ok: ECN agreed (RFC 3168): our SYN-ACKs carry ECE
 * @fo_cookie: our SYN-ACKs give the client its Fast Open cookie (RFC
 *	7413), computed again for each (fastopen.c)
 * @fo_exp: ... in the experimental option, as the client's SYN had it
 * @bound_dev_if: the device (VRF) the SYN came by, as the child's
 * @ip_opt: the return route of the SYN's source route (MUST-53), for the
 *	SYN-ACKs and then the child's inet_opt; NULL if none. At most 40
 *	bytes of options more per entry, freed with it
 * @h: connection table entry, found by the 4-tuple; last, so that an
 *	IPv6 entry is allocated with its struct xtcp_hnode6 key after it
 *
 * About 200 bytes, where a full socket takes several kilobytes: a flood
 * of spoofed SYNs fills the SYN queue with these (item 8 of issue 9).
 */
struct xtcp_req {
	struct list_head node;
	struct sock *listener;
	struct hrtimer timer;
	struct rcu_head rcu;
	spinlock_t lock;		/* see @lock above */
	unsigned long flags;
	u64 synack_us;
	unsigned long oow_stamp;
	u32 iss;
	u32 irs;
	u32 ts_recent;
	u16 peer_mss;
	u16 adv_mss;
	u16 snd_wnd;
	u16 rcv_wnd;
	u8 snd_wscale;
	u8 rcv_wscale;
	u8 retries;
	u8 wscale_ok:1,
	   sack_ok:1,
	   ts_ok:1,
	   ecn_ok:1,
	   fo_cookie:1,
	   fo_exp:1;
	int bound_dev_if;
	struct ip_options_rcu *ip_opt;
	struct xtcp_hnode h;
};

int xtcp_req_module_init(void);
void xtcp_req_module_exit(void);

void xtcp_req_create(struct sock *listener, struct sk_buff *skb,
		     struct ip_options_rcu *ip_opt, bool fo_cookie);
u32 xtcp_req_isn(const struct xtcp_seg *seg);
bool xtcp_req_rcv(struct sock *listener, struct xtcp_req *req,
		  struct sk_buff *skb);
void xtcp_req_kill(struct xtcp_req *req);
void xtcp_listen_drop_reqs(struct sock *listener);

#endif /* _XTCP_REQUEST_H */
