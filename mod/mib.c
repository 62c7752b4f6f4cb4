// SPDX-License-Identifier: GPL-2.0
/*
 * Per-namespace counters (include/xtcp/mib.h), and /proc/net/xtcp_stat that
 * shows them in the style of /proc/net/snmp: a line of names and a line of
 * values, both headed "Xtcp:".
 */

#include <linux/build_bug.h>
#include <linux/percpu.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>
#include <xtcp/mib.h>

/* Indexed by enum xtcp_mib_field: keep the two in the same order. */
static const char *const xtcp_mib_names[] = {
	[XTCP_MIB_ACTIVEOPENS]		= "ActiveOpens",
	[XTCP_MIB_PASSIVEOPENS]		= "PassiveOpens",
	[XTCP_MIB_ATTEMPTFAILS]		= "AttemptFails",
	[XTCP_MIB_ESTABRESETS]		= "EstabResets",
	[XTCP_MIB_CURRESTAB]		= "CurrEstab",
	[XTCP_MIB_INSEGS]		= "InSegs",
	[XTCP_MIB_OUTSEGS]		= "OutSegs",
	[XTCP_MIB_RETRANSSEGS]		= "RetransSegs",
	[XTCP_MIB_INERRS]		= "InErrs",
	[XTCP_MIB_OUTRSTS]		= "OutRsts",
	[XTCP_MIB_INCSUMERRORS]		= "InCsumErrors",
	[XTCP_MIB_CHALLENGEACKS]	= "ChallengeAcks",
	[XTCP_MIB_CHALLENGEACKLIMITED]	= "ChallengeAckLimited",
	[XTCP_MIB_OOWACKLIMITED]	= "OutOfWindowAckLimited",
	[XTCP_MIB_SYNDROPS]		= "SynDrops",
	[XTCP_MIB_TIMEWAITS]		= "TimeWaits",
	[XTCP_MIB_TIMEOUTS]		= "Timeouts",
	[XTCP_MIB_FASTRETRANS]		= "FastRetrans",
	[XTCP_MIB_RECOVERIES]		= "Recoveries",
	[XTCP_MIB_SACKRECOVERIES]	= "SackRecoveries",
	[XTCP_MIB_OFOQUEUE]		= "OfoQueue",
	[XTCP_MIB_RCVPRUNED]		= "RcvPruned",
	[XTCP_MIB_PAWSREJECTED]		= "PawsRejected",
	[XTCP_MIB_DELAYEDACKS]		= "DelayedAcks",
	[XTCP_MIB_WINPROBES]		= "WinProbes",
	[XTCP_MIB_FILTERDROPS]		= "FilterDrops",
	[XTCP_MIB_SYNCOOKIESSENT]	= "SyncookiesSent",
	[XTCP_MIB_SYNCOOKIESRECV]	= "SyncookiesRecv",
	[XTCP_MIB_SYNCOOKIESFAILED]	= "SyncookiesFailed",
	[XTCP_MIB_LISTENOVERFLOWS]	= "ListenOverflows",
	[XTCP_MIB_LISTENDROPS]		= "ListenDrops",
	[XTCP_MIB_PRUNECALLED]		= "PruneCalled",
	[XTCP_MIB_OFOPRUNED]		= "OfoPruned",
	[XTCP_MIB_RCVCOLLAPSED]		= "RcvCollapsed",
	[XTCP_MIB_MEMORYPRESSURES]	= "MemoryPressures",
	[XTCP_MIB_INICMPS]		= "InIcmps",
	[XTCP_MIB_RTOREVERTS]		= "RtoReverts",
	[XTCP_MIB_OUTOFWINDOWICMPS]	= "OutOfWindowIcmps",
	[XTCP_MIB_NEGATIVEADVICE]	= "NegativeAdvice",
	[XTCP_MIB_MTUPROBES]		= "MtuProbes",
	[XTCP_MIB_MTUPROBESSUCCEEDED]	= "MtuProbesSucceeded",
	[XTCP_MIB_MTUPROBESFAILED]	= "MtuProbesFailed",
	[XTCP_MIB_BLACKHOLEDETECTED]	= "BlackHoleDetected",
	[XTCP_MIB_TLPPROBES]		= "TlpProbes",
	[XTCP_MIB_TLPRECOVERIES]	= "TlpRecoveries",
	[XTCP_MIB_RACKLOSSES]		= "RackLosses",
	[XTCP_MIB_RACKREOTIMEOUTS]	= "RackReoTimeouts",
	[XTCP_MIB_DSACKOLDSENT]		= "DSackOldSent",
	[XTCP_MIB_DSACKOFOSENT]		= "DSackOfoSent",
	[XTCP_MIB_DSACKRECV]		= "DSackRecv",
	[XTCP_MIB_DSACKUNDO]		= "DSackUndo",
	[XTCP_MIB_TSUNDO]		= "TSUndo",
	[XTCP_MIB_SPURIOUSRTOS]		= "SpuriousRTOs",
	[XTCP_MIB_ECNNEGOTIATED]	= "EcnNegotiated",
	[XTCP_MIB_ECNCERECV]		= "EcnCeRecv",
	[XTCP_MIB_ECNECERECV]		= "EcnEceRecv",
	[XTCP_MIB_ECNREDUCTIONS]	= "EcnReductions",
	[XTCP_MIB_ECNCWRSENT]		= "EcnCwrSent",
	[XTCP_MIB_TFOACTIVE]		= "TCPFastOpenActive",
	[XTCP_MIB_TFOACTIVEFAIL]	= "TCPFastOpenActiveFail",
	[XTCP_MIB_TFOPASSIVE]		= "TCPFastOpenPassive",
	[XTCP_MIB_TFOPASSIVEFAIL]	= "TCPFastOpenPassiveFail",
	[XTCP_MIB_TFOLISTENOVERFLOW]	= "TCPFastOpenListenOverflow",
	[XTCP_MIB_TFOCOOKIEREQD]	= "TCPFastOpenCookieReqd",
	[XTCP_MIB_HYSTARTDELAYDETECT]	= "TCPHystartDelayDetect",
	[XTCP_MIB_HYSTARTDELAYCWND]	= "TCPHystartDelayCwnd",
};

/**
 * xtcp_mib_read() - a counter of a namespace, summed over every cpu
 * @net: the namespace
 * @field: which counter
 *
 * Return: the sum. For the XTCP_MIB_CURRESTAB gauge, whose per-cpu parts
 * go up on one cpu and down on another, read the result as a long.
 */
unsigned long xtcp_mib_read(const struct net *net, enum xtcp_mib_field field)
{
	unsigned long __percpu *mib = xtcp_net(net)->mib;
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(mib, cpu)[field]);
	return sum;
}

static int xtcp_stat_show(struct seq_file *seq, void *v)
{
	struct net *net = seq_file_single_net(seq);
	int i;

	BUILD_BUG_ON(ARRAY_SIZE(xtcp_mib_names) != XTCP_MIB_MAX);

	seq_puts(seq, "Xtcp:");
	for (i = 0; i < XTCP_MIB_MAX; i++)
		seq_printf(seq, " %s", xtcp_mib_names[i]);
	seq_puts(seq, "\nXtcp:");
	for (i = 0; i < XTCP_MIB_MAX; i++) {
		unsigned long val = xtcp_mib_read(net, i);

		/* a gauge, signed like Linux's Tcp: CurrEstab */
		if (i == XTCP_MIB_CURRESTAB)
			seq_printf(seq, " %ld", (long)val);
		else
			seq_printf(seq, " %lu", val);
	}
	seq_putc(seq, '\n');
	return 0;
}

/**
 * xtcp_mib_init() - a namespace's counters, all 0, and /proc/net/xtcp_stat
 * @net: the namespace
 *
 * Return: 0, or -ENOMEM.
 */
int xtcp_mib_init(struct net *net)
{
	struct xtcp_net *xn = xtcp_net(net);

	xn->mib = __alloc_percpu(XTCP_MIB_MAX * sizeof(unsigned long),
				 __alignof__(unsigned long));
	if (!xn->mib)
		return -ENOMEM;

	if (!proc_create_net_single("xtcp_stat", 0444, net->proc_net,
				    xtcp_stat_show, NULL)) {
		free_percpu(xn->mib);
		xn->mib = NULL;
		return -ENOMEM;
	}
	return 0;
}

/**
 * xtcp_mib_exit() - remove a namespace's counters and /proc/net/xtcp_stat
 * @net: the namespace
 *
 * Nothing of the namespace may count any more: its sockets and timers
 * are gone.
 */
void xtcp_mib_exit(struct net *net)
{
	struct xtcp_net *xn = xtcp_net(net);

	remove_proc_entry("xtcp_stat", net->proc_net);
	free_percpu(xn->mib);
	xn->mib = NULL;
}
