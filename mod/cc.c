// SPDX-License-Identifier: GPL-2.0
/*
 * Congestion control: the registry of algorithms and the window changes
 * common to all of them (RFC 5681, RFC 6928, RFC 3465), HyStart++ (RFC
 * 9406, its rules in hystart.c) among them.
 *
 * The registry is a list written under a spinlock and read under RCU, so
 * that a connection set up in softirq context (a passive open) can look
 * an algorithm up. An algorithm's ops live as long as the code that
 * registered it: only xtcp itself registers any, and it unregisters them
 * after its last socket is gone, so a found pointer needs no reference.
 */

#include <linux/minmax.h>
#include <linux/rculist.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <xtcp/cc.h>

static LIST_HEAD(xtcp_cc_list);
static DEFINE_SPINLOCK(xtcp_cc_lock);

/* RFC 6928: the byte limit of the initial window, 10 segments of 1460. */
#define XTCP_CC_IW_BYTES	14600U
/* RFC 9293 3.7.1: the send MSS when nothing better is known. */
#define XTCP_CC_DEFAULT_MSS	536U

static struct xtcp_cc_ops *xtcp_cc_lookup(const char *name)
{
	struct xtcp_cc_ops *ops;

	list_for_each_entry_rcu(ops, &xtcp_cc_list, list,
				lockdep_is_held(&xtcp_cc_lock)) {
		if (!strcmp(ops->name, name))
			return ops;
	}
	return NULL;
}

/**
 * xtcp_cc_register() - make an algorithm available by its name
 * @ops: the algorithm; cong_avoid and ssthresh are mandatory
 *
 * Return: 0; -EINVAL if the name is empty or does not fit
 * XTCP_CC_NAME_MAX with its NUL, or a mandatory operation is missing;
 * -EEXIST if an algorithm of that name is registered already.
 */
int xtcp_cc_register(struct xtcp_cc_ops *ops)
{
	int err = 0;

	if (!ops->name[0] ||
	    strnlen(ops->name, XTCP_CC_NAME_MAX) == XTCP_CC_NAME_MAX ||
	    !ops->cong_avoid || !ops->ssthresh)
		return -EINVAL;

	spin_lock(&xtcp_cc_lock);
	if (xtcp_cc_lookup(ops->name))
		err = -EEXIST;
	else
		list_add_tail_rcu(&ops->list, &xtcp_cc_list);
	spin_unlock(&xtcp_cc_lock);
	return err;
}

/**
 * xtcp_cc_unregister() - withdraw a registered algorithm
 * @ops: the algorithm
 *
 * Waits until no lookup can still be walking over @ops, so it may sleep.
 * Connections that use @ops must be gone already.
 */
void xtcp_cc_unregister(struct xtcp_cc_ops *ops)
{
	spin_lock(&xtcp_cc_lock);
	list_del_rcu(&ops->list);
	spin_unlock(&xtcp_cc_lock);
	synchronize_rcu();
}

/**
 * xtcp_cc_find() - a registered algorithm by name
 * @name: its name, as in net.xtcp.congestion_control
 *
 * Any context.
 *
 * Return: the algorithm, or NULL if none has that name.
 */
const struct xtcp_cc_ops *xtcp_cc_find(const char *name)
{
	const struct xtcp_cc_ops *ops;

	rcu_read_lock();
	ops = xtcp_cc_lookup(name);
	rcu_read_unlock();
	return ops;
}

/**
 * xtcp_cc_module_init() - register the built-in algorithms
 *
 * Return: 0, or the error of a registration.
 */
int xtcp_cc_module_init(void)
{
	int err;

	err = xtcp_cc_register(&xtcp_cc_newreno);
	if (err)
		return err;
	err = xtcp_cc_register(&xtcp_cc_cubic);
	if (err)
		xtcp_cc_unregister(&xtcp_cc_newreno);
	return err;
}

/**
 * xtcp_cc_module_exit() - unregister the built-in algorithms
 */
void xtcp_cc_module_exit(void)
{
	xtcp_cc_unregister(&xtcp_cc_cubic);
	xtcp_cc_unregister(&xtcp_cc_newreno);
}

/**
 * xtcp_cc_initial_window() - the initial window for a sender MSS
 * @mss: the sender MSS, bytes
 *
 * RFC 6928 section 2: min(10 * MSS, max(2 * MSS, 14600)). Ten segments
 * of the common 1460 bytes; with jumbo frames the byte limit wins (two
 * segments of 9000), small segments get ten of them.
 *
 * Return: the window, bytes.
 */
u32 xtcp_cc_initial_window(u32 mss)
{
	return min(10 * mss, max(2 * mss, XTCP_CC_IW_BYTES));
}

/**
 * xtcp_cc_init() - a connection's congestion state before any data
 * @cc: the state
 * @ops: its algorithm
 * @mss: the sender MSS, bytes; 0 means unknown (536 then)
 * @now_us: the time, microseconds
 *
 * cwnd starts at the initial window (RFC 6928), ssthresh arbitrarily
 * high (RFC 5681 section 3.1), so the connection slow starts until its
 * first loss. Then the algorithm sets up its own state.
 */
void xtcp_cc_init(struct xtcp_cc *cc, const struct xtcp_cc_ops *ops, u32 mss,
		  u64 now_us)
{
	memset(cc, 0, sizeof(*cc));
	cc->ops = ops;
	cc->mss = mss ?: XTCP_CC_DEFAULT_MSS;
	cc->cwnd = xtcp_cc_initial_window(cc->mss);
	cc->ssthresh = XTCP_CC_SSTHRESH_INIT;
	if (ops->init)
		ops->init(cc, now_us);
}

/**
 * xtcp_cc_on_ack() - new data was acknowledged outside loss recovery
 * @cc: the state
 * @acked: bytes newly acknowledged
 * @now_us: the time, microseconds
 *
 * The sender calls this only while the window limits it (RFC 5681
 * section 3.1, RFC 7661): a window the sender does not fill proves
 * nothing about the path and must not grow.
 */
void xtcp_cc_on_ack(struct xtcp_cc *cc, u32 acked, u64 now_us)
{
	if (!acked)
		return;
	cc->ops->cong_avoid(cc, acked, now_us);
}

/* The algorithm's new ssthresh, never below 2 MSS whatever it says. */
static void xtcp_cc_set_ssthresh(struct xtcp_cc *cc, u32 flight, u64 now_us)
{
	cc->ssthresh = max(cc->ops->ssthresh(cc, flight, now_us), 2 * cc->mss);
}

/**
 * xtcp_cc_on_loss() - a loss detected by duplicate ACKs or SACK
 * @cc: the state
 * @flight: bytes outstanding when the loss was detected
 * @now_us: the time, microseconds
 *
 * Fast retransmit (RFC 5681 section 3.2, RFC 6582): ssthresh drops as the
 * algorithm says and cwnd to ssthresh. The inflation of cwnd by one MSS
 * per duplicate ACK during recovery is the sender's, not kept here.
 */
void xtcp_cc_on_loss(struct xtcp_cc *cc, u32 flight, u64 now_us)
{
	xtcp_cc_set_ssthresh(cc, flight, now_us);
	cc->cwnd = cc->ssthresh;
	cc->rto_slow_start = false;
	xtcp_hystart_stop(&cc->hs);
}

/**
 * xtcp_cc_on_ecn() - the peer echoed a congestion mark (ECE, RFC 3168)
 * @cc: the state
 * @flight: bytes outstanding when the echo arrived
 * @now_us: the time, microseconds
 *
 * RFC 3168 6.1.2: ssthresh drops as for a loss, but nothing was lost and
 * nothing is resent. cwnd is left where it is: the sender walks it down
 * to ssthresh over the next round trip with PRR (Linux's CWR state,
 * ecn.c), so that sending never stops, or sets it at once with
 * net.xtcp.prr off.
 */
void xtcp_cc_on_ecn(struct xtcp_cc *cc, u32 flight, u64 now_us)
{
	xtcp_cc_set_ssthresh(cc, flight, now_us);
	cc->rto_slow_start = false;
	xtcp_hystart_stop(&cc->hs);
}

/**
 * xtcp_cc_on_rto() - the retransmission timer expired
 * @cc: the state
 * @flight: bytes outstanding when it expired
 * @now_us: the time, microseconds
 *
 * RFC 5681 section 3.1: ssthresh drops as on a loss, cwnd to the loss
 * window of one segment, and the connection slow starts again.
 */
void xtcp_cc_on_rto(struct xtcp_cc *cc, u32 flight, u64 now_us)
{
	xtcp_cc_set_ssthresh(cc, flight, now_us);
	cc->cwnd = cc->mss;
	cc->rto_slow_start = true;
	xtcp_hystart_stop(&cc->hs);
	if (cc->ops->on_rto)
		cc->ops->on_rto(cc, now_us);
}

/**
 * xtcp_cc_set_mss() - the sender MSS changed (path MTU, probing)
 * @cc: the state
 * @mss: the new MSS, bytes
 */
void xtcp_cc_set_mss(struct xtcp_cc *cc, u32 mss)
{
	cc->mss = mss;
}

/**
 * xtcp_cc_hystart_start() - let HyStart++ end the first slow start
 * @cc: the state, after xtcp_cc_init()
 * @snd_nxt: SND.NXT: where the first round ends
 *
 * Only while ssthresh is still the initial one (RFC 9406 section 4.3):
 * later slow starts end at the ssthresh a loss set. Without this call
 * slow start is RFC 5681's, ending at ssthresh or the first loss.
 */
void xtcp_cc_hystart_start(struct xtcp_cc *cc, u32 snd_nxt)
{
	if (cc->ssthresh == XTCP_CC_SSTHRESH_INIT)
		xtcp_hystart_start(&cc->hs, snd_nxt);
}

/**
 * xtcp_cc_on_rtt() - an ACK of new data outside recovery, for HyStart++
 * @cc: the state
 * @ack: SEG.ACK
 * @snd_nxt: SND.NXT now
 * @rtt_us: the ACK's RTT sample, microseconds; 0 if it has none
 *
 * Called for every such ACK while HyStart++ watches (the sender skips
 * the call once it does not), whether or not the window limited the
 * sender: rounds end by sequence number (RFC 9406 4.2). When Conservative
 * Slow Start has run its rounds, congestion avoidance begins where the
 * window is: ssthresh = cwnd.
 *
 * Return: what HyStart++ changed, for the sender's counters.
 */
enum xtcp_hs_event xtcp_cc_on_rtt(struct xtcp_cc *cc, u32 ack, u32 snd_nxt,
				  u32 rtt_us)
{
	enum xtcp_hs_event ev = xtcp_hystart_ack(&cc->hs, ack, snd_nxt,
						 rtt_us);

	if (ev == XTCP_HS_EXIT)
		cc->ssthresh = max(cc->cwnd, 2 * cc->mss);
	return ev;
}

/**
 * xtcp_cc_rto_again() - the retransmission timer expired again
 * @cc: the state
 *
 * The same loss, timed out once more: ssthresh stays where the first
 * expiry put it (RFC 5681 section 3.1, as Linux keeps it), and cwnd is
 * the loss window again.
 */
void xtcp_cc_rto_again(struct xtcp_cc *cc)
{
	cc->cwnd = cc->mss;
}

/**
 * xtcp_cc_set_cwnd() - loss recovery sets the window
 * @cc: the state
 * @cwnd: the window recovery wants, bytes (PRR's, RFC 6937; or ssthresh
 *	when recovery ends)
 *
 * Never below one segment, so that something can always be sent.
 */
void xtcp_cc_set_cwnd(struct xtcp_cc *cc, u32 cwnd)
{
	cc->cwnd = min(max(cwnd, cc->mss), XTCP_CC_CWND_MAX);
}

/*
 * NewReno's fast recovery without SACK (RFC 6582 section 3.2): the window
 * is inflated by the segments the duplicate ACKs say have left the
 * network, and deflated again by what partial ACKs acknowledge.
 */

/**
 * xtcp_cc_reno_recovery_start() - NewReno enters fast recovery
 * @cc: the state, after xtcp_cc_on_loss()
 * @dupthresh: the duplicate ACKs that started it
 *
 * RFC 6582 3.2 step 2 (RFC 5681 3.2 step 3): cwnd = ssthresh + 3 * SMSS.
 */
void xtcp_cc_reno_recovery_start(struct xtcp_cc *cc, u32 dupthresh)
{
	cc->cwnd = cc->ssthresh + dupthresh * cc->mss;
}

/**
 * xtcp_cc_reno_dupack() - another duplicate ACK in NewReno's recovery
 * @cc: the state
 *
 * RFC 6582 3.2 step 4: a segment has left the network, cwnd += SMSS.
 */
void xtcp_cc_reno_dupack(struct xtcp_cc *cc)
{
	cc->cwnd += cc->mss;
}

/**
 * xtcp_cc_reno_partial_ack() - a partial ACK in NewReno's recovery
 * @cc: the state
 * @acked: bytes it acknowledged
 *
 * RFC 6582 3.2 step 5: deflate by what was acknowledged, add back one
 * SMSS if that was at least one, never below one segment.
 */
void xtcp_cc_reno_partial_ack(struct xtcp_cc *cc, u32 acked)
{
	cc->cwnd = cc->cwnd > acked ? cc->cwnd - acked : cc->mss;
	if (acked >= cc->mss)
		cc->cwnd += cc->mss;
	cc->cwnd = max(cc->cwnd, cc->mss);
}

/**
 * xtcp_cc_reno_recovery_end() - a full ACK ends NewReno's recovery
 * @cc: the state
 * @flight: bytes still outstanding
 *
 * RFC 6582 3.2 step 3, option 1: cwnd = min(ssthresh, max(FlightSize,
 * SMSS) + SMSS), which avoids a burst.
 */
void xtcp_cc_reno_recovery_end(struct xtcp_cc *cc, u32 flight)
{
	cc->cwnd = min(cc->ssthresh, max(flight, cc->mss) + cc->mss);
}

/**
 * xtcp_cc_undo_mark() - a recovery episode begins: remember the window
 * @cc: the state, before xtcp_cc_on_loss() or xtcp_cc_on_rto()
 *
 * What xtcp_cc_undo() restores if the episode proves spurious.
 */
void xtcp_cc_undo_mark(struct xtcp_cc *cc)
{
	cc->prior_cwnd = cc->cwnd;
	cc->prior_ssthresh = cc->ssthresh;
}

/**
 * xtcp_cc_undo() - the episode's reduction was for nothing: undo it
 * @cc: the state
 *
 * Every retransmission of the episode reached a receiver that had the
 * data already (D-SACK, RFC 2883; RFC 3708's idea): nothing was lost, and
 * the window goes back to where it was before (as Linux's
 * tcp_undo_cwnd_reduction() with the algorithms' undo_cwnd, the larger of
 * now and then); ssthresh too, so that slow start may take the window
 * there again. The slow start of an RTO is over. HyStart++ stays off:
 * the episode ended the first slow start, undone or not.
 */
void xtcp_cc_undo(struct xtcp_cc *cc)
{
	cc->cwnd = min(max(cc->cwnd, cc->prior_cwnd), XTCP_CC_CWND_MAX);
	cc->ssthresh = max(cc->ssthresh, cc->prior_ssthresh);
	cc->rto_slow_start = false;
}

/**
 * xtcp_cc_slow_start() - grow cwnd by slow start, up to ssthresh
 * @cc: the state, cwnd below ssthresh
 * @acked: bytes the ACK newly acknowledged
 *
 * Appropriate Byte Counting (RFC 3465) with L = 2 MSS: cwnd grows by the
 * bytes acknowledged, but by at most 2 MSS per ACK. RFC 5681's one MSS
 * per ACK only grows the window by half per RTT when the receiver
 * acknowledges every second segment, as receivers do (RFC 9293 delayed
 * ACKs); byte counting doubles it per RTT either way, and the limit
 * keeps one ACK of a large stretch from releasing a burst. In the slow
 * start that follows an RTO the limit is 1 MSS, as RFC 3465 asks: ACKs
 * then may cover data the receiver had before the timeout. In
 * HyStart++'s Conservative Slow Start the growth is a quarter of that
 * (xtcp_hystart_growth()).
 *
 * Return: the part of @acked left once cwnd reached ssthresh, for
 * congestion avoidance to count; 0 if cwnd is still below ssthresh.
 */
u32 xtcp_cc_slow_start(struct xtcp_cc *cc, u32 acked)
{
	u32 limit = cc->rto_slow_start ? cc->mss : 2 * cc->mss;
	u32 room, inc;

	if (cc->cwnd >= cc->ssthresh)
		return acked;
	room = cc->ssthresh - cc->cwnd;
	inc = xtcp_hystart_growth(&cc->hs, min(acked, limit));
	if (inc < room) {
		cc->cwnd = min(cc->cwnd + inc, XTCP_CC_CWND_MAX);
		return 0;
	}
	/* Slow start ends here; the rest of the ACK counts for growth. */
	cc->cwnd = cc->ssthresh;
	cc->rto_slow_start = false;
	return acked - room;
}
