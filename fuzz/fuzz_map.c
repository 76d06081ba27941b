/* libFuzzer target: map_decode (3GPP TS 29.002) on arbitrary bytes taken as
 * one component's parameter, for the operations whose arguments are decoded
 * (as invokes), and the results that are decoded (by the opcode hint), under a MAP ACN chosen by the first
 * input byte. Checks the contract besides ASan/UBSan: the result is one of
 * enum wire_result, every view lies inside the input, digit counts respect
 * WIRE_MAX_DIGITS, the state matches the result. A violation traps. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ss7fw/wire.h"

static const uint8_t *in_lo, *in_hi;

static void check_view(const uint8_t *p, size_t len)
{
	if (len == 0)
		return;
	if (p < in_lo || p > in_hi || len > (size_t)(in_hi - p))
		__builtin_trap();
}

static void check_digits(const struct digits *d)
{
	if (d->n > WIRE_MAX_DIGITS)
		__builtin_trap();
	check_view(d->p, ((size_t)d->n + 1) / 2);
	char s[WIRE_MAX_DIGITS + 1];
	digits_to_str(d, s, sizeof s);
}

static void check_addr(const struct map_addr *a)
{
	check_digits(&a->d);
}

static void check_map(const struct map_fields *m)
{
	check_addr(&m->msisdn);
	check_addr(&m->sc_addr);
	check_addr(&m->nnn);
	check_addr(&m->msc_vlr);
	check_addr(&m->vlr);
	check_addr(&m->msc);
	check_addr(&m->sgsn);
	check_addr(&m->hlr);
	check_addr(&m->gmsc);
	check_addr(&m->mlc);
	check_addr(&m->gsmscf);
	check_addr(&m->roaming_nr);
	check_view(m->tmsi.p, m->tmsi.len);
	if (m->tmsi.len > 4 || m->ussd_string.len > 160)
		__builtin_trap();
	check_view(m->ussd_string.p, m->ussd_string.len);
	check_digits(&m->imsi);
	check_digits(&m->sm_rp_da.d);
	check_digits(&m->sm_rp_oa.d);
	check_view(m->sm_rp_ui.p, m->sm_rp_ui.len);
	if (m->tp.present) {
		check_view(m->tp.addr.raw.p, m->tp.addr.raw.len);
		check_digits(&m->tp.addr.d);
		check_view(m->tp.ud.p, m->tp.ud.len);
		if (m->tp.mti > SMS_MTI_RESERVED)
			__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int ops[] = { 2, 3, 4, 5, 7, 8, 9, 22, 23, 24, 37, 44, 45, 46, 47, 48, 49,
				   55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 70, 71,
				   83, 85, 86, 89 };
	static const int res_ops[] = { 2, 4, 22, 23, 45, 55, 57, 58, 59, 60, 85 };
	const size_t n_ops = sizeof ops / sizeof ops[0];
	static struct tcap_info t;   /* large: kept off the stack */
	if (size < 1)
		return 0;
	uint8_t ac = data[0];
	data++;
	size--;
	in_lo = data;
	in_hi = data + size;
	for (size_t k = 0; k < n_ops + sizeof res_ops / sizeof res_ops[0]; k++) {
		bool result = k >= n_ops;
		int hint = result ? res_ops[k - n_ops] : -1;
		memset(&t, 0, sizeof t);
		t.present = true;
		t.type = TCAP_BEGIN;
		t.acn_is_map = (ac & 0x80) == 0;
		t.acn_ac = ac & 0x3f;
		t.acn_version = (uint8_t)(1 + (ac >> 6 & 1) * 2);
		t.n_components = 1;
		struct tcap_component *c = &t.comp[0];
		c->type = result ? TCAP_COMP_RESULT_LAST : TCAP_COMP_INVOKE;
		c->has_opcode = !result;
		c->opcode = result ? 0 : ops[k];
		c->param = (struct bytes){ data, size };
		uint64_t anom = 0;
		enum wire_result r = map_decode(&t, 0, hint, &anom);
		if (r != WIRE_OK && r != WIRE_MALFORMED)
			__builtin_trap();
		if (c->map.state > MAP_DECODE_FAILED)
			__builtin_trap();
		if ((c->map.state == MAP_DECODE_FAILED) != ((anom & ANOM_BIT(ANOM_MAP_UNDECODED)) != 0))
			__builtin_trap();
		if (r == WIRE_OK && c->map.state == MAP_DECODE_FAILED)
			__builtin_trap();
		if (ANOM__COUNT < 64 && (anom >> (ANOM__COUNT % 64)) != 0)
			__builtin_trap();
		check_map(&c->map);
		(void)map_op_name_ctx(c->opcode, &t);
	}
	return 0;
}
