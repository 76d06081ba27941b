/* ss7fw — types of the inline relay (src/relay/): options and the counters
 * a caller (ss7fw run, tests, the bench) can read. */
#ifndef SS7FW_RELAY_T_H
#define SS7FW_RELAY_T_H

#include <stdbool.h>
#include <stdint.h>

enum relay_side { RELAY_CARRIER = 0, RELAY_CORE = 1 };

/* Why a peer was cut off or a connection refused: X(id, "metric label"). */
#define RELAY_CUTS(X) \
	X(BAD_LENGTH, "bad_length")   /* TCP: M3UA length < 8 or > max_msg; SCTP: message > max_msg */ \
	X(GLITCHES,   "glitches")     /* glitch_limit protocol errors (M3UA version, length mismatch) */ \
	X(STALLED,    "stalled")      /* half a message, then silence */ \
	X(BUSY,       "busy")         /* a second connection while the link side is up */ \
	X(NOT_ALLOWED,"not_allowed")  /* peer address not among the side's remote addresses */ \
	X(SEND_ERROR, "send_error")   /* a send failed for a reason other than EAGAIN */

enum relay_cut {
#define RELAY_CUT_ENUM(id, name) RELAY_CUT_##id,
	RELAY_CUTS(RELAY_CUT_ENUM)
#undef RELAY_CUT_ENUM
	RELAY_CUT__COUNT
};

struct relay_opts {
	bool no_screen;              /* do not call the engine at all (benchmark baseline) */
	uint32_t stall_ms;           /* cut a peer that sent half a message and then nothing
				      * for this long; 0: settings.stall_ms (default 10000) */
	uint32_t flush_ms;           /* relay_stop: how long to try to flush queues; 0: 2000 */
};

/* Counters of one link; dir is enum fw_dir (0 in: carrier -> core). */
struct relay_link_stats {
	bool up[2];                  /* side (enum relay_side) connected */
	uint64_t rx_msgs[2];         /* messages read, per direction */
	uint64_t fwd_msgs[2];        /* forwarded (handed to the other side), per direction */
	uint64_t drop_msgs[2];       /* dropped (policy, link down, overload), per direction */
	uint64_t link_down_drops[2]; /* of which: the other side was down */
	uint64_t overload_drops[2];  /* of which: could not be queued */
	uint64_t queue_bytes[2];     /* bytes queued now towards dir's destination */
	uint64_t queue_peak[2];      /* the largest queue_bytes seen */
	uint64_t paused[2];          /* times reading was stopped by backpressure */
	uint64_t rejects_answered[2];  /* UDTS/XUDTS sent back for a rejected MSU of dir */
	uint64_t rejects_answer_lost[2]; /* answers built but not queued (originator's queue full) */
	uint64_t ups, downs;         /* pair up / down transitions */
};

struct relay_stats {
	uint64_t state_changes;      /* side connected / disconnected events */
	uint64_t cutoffs[RELAY_CUT__COUNT];
	uint64_t glitches;           /* protocol errors seen (each, not only cut-offs) */
	uint64_t accepts;            /* connections accepted (kept or refused) */
};

#endif
