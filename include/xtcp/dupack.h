/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a duplicate ACK is and when they signal a loss, as pure functions
 * (mod/dupack.c, checked in KUnit, kunit/dupack_test.c). sender.c gathers
 * the numbers, counts and starts recovery.
 */
#ifndef _XTCP_DUPACK_H
#define _XTCP_DUPACK_H

#include <linux/types.h>

/* Duplicate ACKs that signal a loss (RFC 5681 3.2 DupThresh). */
#define XTCP_DUPTHRESH	3

/**
 * struct xtcp_dupack_in - an arriving ACK and the send state it meets
 * @ack: SEG.ACK
 * @snd_una: SND.UNA
 * @snd_max: the highest sequence number sent
 * @wnd: the segment's window, scaled
 * @snd_wnd: SND.WND, the window we hold from the peer
 * @len: the segment's payload bytes
 * @syn_fin: the segment carries SYN or FIN
 * @sacked: its SACK blocks cover bytes not SACKed before
 */
struct xtcp_dupack_in {
	u32 ack;
	u32 snd_una;
	u32 snd_max;
	u32 wnd;
	u32 snd_wnd;
	u32 len;
	bool syn_fin;
	bool sacked;
};

bool xtcp_is_dupack(const struct xtcp_dupack_in *in);
bool xtcp_dupack_lost(u32 dupacks, bool sack_lost);

#endif /* _XTCP_DUPACK_H */
