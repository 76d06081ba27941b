/* ss7fw — the answer to a rejected MSU: the SCCP service message that
 * Q.714 4.2 "return on error" sends back to the originator (UDTS for a UDT,
 * XUDTS for an XUDT), wrapped in an M3UA DATA message. Pure: no I/O, no
 * allocation, no globals; it reads only the views msu_decode made. */
#ifndef SS7FW_REJECT_H
#define SS7FW_REJECT_H

#include <stddef.h>
#include <stdint.h>

#include "ss7fw/wire-t.h"

/* Q.713 3.12 return causes (ITU values). */
#define SCCP_CAUSE_NO_TRANSLATION_NATURE  0x00  /* no translation for an address of such nature */
#define SCCP_CAUSE_NO_TRANSLATION_ADDR    0x01  /* no translation for this specific address */
#define SCCP_CAUSE_SUBSYSTEM_CONGESTION   0x02
#define SCCP_CAUSE_SUBSYSTEM_FAILURE      0x03
#define SCCP_CAUSE_UNEQUIPPED_USER        0x04
#define SCCP_CAUSE_MTP_FAILURE            0x05
#define SCCP_CAUSE_NETWORK_CONGESTION     0x06
#define SCCP_CAUSE_UNQUALIFIED            0x07
#define SCCP_CAUSE_ERROR_IN_TRANSPORT     0x08
#define SCCP_CAUSE_ERROR_IN_LOCAL_PROC    0x09
#define SCCP_CAUSE_NO_REASSEMBLY          0x0a
#define SCCP_CAUSE_SCCP_FAILURE           0x0b
#define SCCP_CAUSE_HOP_COUNTER_VIOLATION  0x0c

/* The cause the relay answers a policy `reject` with: "unqualified". It
 * says "not delivered" without claiming a routing fault (0x00/0x01 make the
 * originator's operators chase their GT translation tables) or an outage
 * (0x03 subsystem failure, 0x05 MTP failure invite rerouting and retries
 * towards the same destination). */
#define REJECT_CAUSE SCCP_CAUSE_UNQUALIFIED

#define REJECT_HOP_COUNTER 15       /* XUDTS hop counter (Q.714 4.2, 2.3.5.1) */

/* The largest answer reject_build can write: M3UA header 8, NA 8, RC 8,
 * Protocol Data header 4 + 12, XUDTS fixed part 7, three parts of at most
 * 1 + 255 octets each, padding 3. */
#define REJECT_MAX_ANSWER 1024

/* Writes into out[0..cap) the M3UA DATA message that returns the message
 * msg[0..len) (decoded into m by msu_decode) to its originator:
 *   M3UA: OPC and DPC swapped, SI, NI, MP, SLS kept, Network Appearance
 *         and Routing Context kept when present (RFC 4666 3.3.1 order);
 *   SCCP: UDTS for a UDT, XUDTS (hop counter 15, no optional part) for an
 *         XUDT (Q.713 4.11, 4.19), with the return cause `cause`, called
 *         party = the original calling party address and calling party =
 *         the original called party address (the octets as they came), and
 *         the original user data unchanged.
 * Returns the length written, or 0 when no answer is due or possible: not an
 * M3UA DATA with SCCP decoded, not UDT/XUDT, return option not set (Q.714
 * 4.2: only then is a message returned), segmented (XUDT with the
 * segmentation parameter), or cap too small. m must describe msg (its views
 * point into msg); nothing outside msg is read. */
size_t reject_build(uint8_t *out, size_t cap, const struct msu *m, const uint8_t *msg,
		    size_t len, uint8_t cause);

#endif
