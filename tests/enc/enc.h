/* ss7fw tests — the encoder: builds byte-exact test vectors for every layer.
 * An encoder writes into a caller's fixed buffer; on overflow it sets
 * e->overflow and stops writing (tests check it). Each layer has its own
 * header (enc-m3ua.h, enc-sccp.h, enc-tcap.h, enc-map.h, enc-sms.h). */
#ifndef SS7FW_TEST_ENC_H
#define SS7FW_TEST_ENC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct enc {
	uint8_t *buf;
	size_t len, cap;
	bool overflow;
};

void enc_init(struct enc *e, uint8_t *buf, size_t cap);
void enc_u8(struct enc *e, uint8_t v);
void enc_u16(struct enc *e, uint16_t v);   /* network order */
void enc_u32(struct enc *e, uint32_t v);   /* network order */
void enc_mem(struct enc *e, const void *p, size_t n);
/* Insert n bytes at position pos (shifting what follows). */
void enc_insert(struct enc *e, size_t pos, const void *p, size_t n);

/* BER: how a constructed or primitive element's length is written. */
enum ber_len_form {
	BER_LEN_MIN = 0,      /* shortest definite form (X.690 DER-like) */
	BER_LEN_LONG,         /* long form even when short would do (0x81 nn / 0x82 nn nn) */
	BER_LEN_INDEFINITE,   /* 0x80 ... 00 00 (constructed only) */
};

/* Identifier octets for (class 0..3, constructed, tag number); multi-byte
 * tags above 30. */
void enc_ber_id(struct enc *e, uint8_t cls, bool constructed, uint32_t tag);
/* Open a constructed element; returns a mark for enc_ber_close. */
size_t enc_ber_open(struct enc *e, uint8_t cls, uint32_t tag);
/* Close it, writing the length in the given form (inserting as needed). */
void enc_ber_close(struct enc *e, size_t mark, enum ber_len_form form);
/* A primitive element with contents v[0..n). */
void enc_ber_prim(struct enc *e, uint8_t cls, uint32_t tag, const void *v, size_t n);
/* INTEGER-like contents (minimal two's complement) as a primitive element. */
void enc_ber_int(struct enc *e, uint8_t cls, uint32_t tag, int32_t v);
/* OBJECT IDENTIFIER from dotted text ("0.4.0.0.1.0.20.3") as a primitive element. */
void enc_ber_oid(struct enc *e, uint8_t cls, uint32_t tag, const char *dotted);
/* OID contents octets only (no tag/length); returns bytes written. */
size_t enc_oid_contents(uint8_t *out, size_t cap, const char *dotted);

/* BCD/TBCD digits, low nibble first, 0xf filler when odd ("b"-"e" and "a" as
 * hex digits). Returns the number of octets written. */
size_t enc_tbcd(uint8_t *out, size_t cap, const char *digits);
/* AddressString contents: TON/NPI octet (0x80 | ton<<4 | npi) then TBCD. */
size_t enc_addr_string(uint8_t *out, size_t cap, uint8_t ton, uint8_t npi, const char *digits);

/* Hex dump helper for test failure messages. */
void enc_hexdump(const char *label, const uint8_t *p, size_t n);

#endif
