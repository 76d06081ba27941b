/* ss7fw — the vocabulary of a screening decision, shared by the policy
 * (which decides), the engine (which counts) and the relay (which acts):
 * the direction of a message, the verdict, and why a message was dropped.
 * Types only, so that src/policy/ needs nothing of the engine above it. */
#ifndef SS7FW_VERDICT_T_H
#define SS7FW_VERDICT_T_H

enum fw_dir { FW_DIR_IN = 0, FW_DIR_OUT = 1 };   /* in: carrier -> core */
enum fw_verdict { FW_ALLOW = 0, FW_DROP, FW_REJECT };

/* Why a message was dropped (or would have been, in shadow). */
#define FW_REASONS(X) \
	X(NONE,      "none",      "not dropped") \
	X(RULE,      "rule",      "a policy rule decided drop") \
	X(DEFAULT,   "default",   "the policy default action is drop") \
	X(MALFORMED, "malformed", "the MSU could not be decoded and the policy drops malformed traffic") \
	X(OVERLOAD,  "overload",  "a queue was full") \
	X(LINK_DOWN, "link_down", "the other side of the link was down") \
	X(REASM_TIMEOUT, "reassembly_timeout", "a segment of a message that was not whole within T(reass)") \
	X(REASM_LIMIT, "reassembly_limit", "a segment of a reassembly cut by the bound on reassemblies or on bytes held") \
	X(REASM_ERROR, "reassembly_error", "a segment out of sequence, duplicated, without its first segment, or of a message too large")

enum fw_reason {
#define FW_REASON_ENUM(id, name, desc) FW_REASON_##id,
	FW_REASONS(FW_REASON_ENUM)
#undef FW_REASON_ENUM
	FW_REASON__COUNT
};

#endif
