/* Numbers in one canonical form: international E.164 (ITU-T E.164; the
 * nature of address indicator of Q.713 3.4.2.3, the type of number of
 * TS 29.002 AddressString and TS 23.040 9.1.2.5). See ss7fw/wire.h and
 * docs/policy.md ("Numbers") for what each form becomes. No copies: the
 * canonical number is the plan's country code, then the wire digits from
 * an offset on. */
#include "ss7fw/wire.h"

#define GT_NAI_SUBSCRIBER   1   /* Q.713 3.4.2.3.1 */
#define GT_NAI_NATIONAL_USE 2
#define GT_NAI_NATIONAL     3
#define GT_NAI_INTL         4
#define GT_NP_E212          6   /* Q.713 3.4.2.3.3: land mobile (IMSI digits) */

#define TON_UNKNOWN  0          /* TS 23.040 9.1.2.5 / TS 29.002 17.7.8 */
#define TON_INTL     1
#define TON_NATIONAL 2
#define NPI_E212     6

uint8_t num_form_gt(const struct sccp_addr *a)
{
	if (a->has_np && a->np == GT_NP_E212)
		return NUM_OTHER;
	if (!a->has_nai)
		return NUM_UNKNOWN;      /* GTI 2 and 3 carry no nature of address */
	switch (a->nai) {
	case GT_NAI_INTL: return NUM_INTL;
	case GT_NAI_NATIONAL: return NUM_NATIONAL;
	case 0: case GT_NAI_NATIONAL_USE: return NUM_UNKNOWN;
	default: return NUM_OTHER;  /* subscriber number, spare, reserved */
	}
}

uint8_t num_form_ton(uint8_t ton, uint8_t npi)
{
	if (npi == NPI_E212)
		return NUM_OTHER;
	switch (ton) {
	case TON_INTL: return NUM_INTL;
	case TON_NATIONAL: return NUM_NATIONAL;
	case TON_UNKNOWN: return NUM_UNKNOWN;
	default: return NUM_OTHER;  /* network specific, subscriber, alphanumeric, abbreviated */
	}
}

/* Whether the wire digits start with the n digits of p. */
static bool starts_with(const struct digits *d, const uint8_t *p, uint8_t n)
{
	if (n == 0 || d->n < n)
		return false;
	for (unsigned i = 0; i < n; i++)
		if (digits_at(d, i) != p[i])
			return false;
	return true;
}

static void with_cc(struct num *x, const struct num_plan *plan)
{
	if (!plan)
		return;
	x->pre_n = plan->cc_n;
	for (unsigned i = 0; i < plan->cc_n; i++)
		x->pre[i] = plan->cc[i];
}

void num_canon(struct num *x, const struct digits *d, uint8_t form, const struct num_plan *plan)
{
	*x = (struct num){ .d = d, .e164 = true };
	if (!d || !d->p || d->n == 0) {
		x->d = NULL;
		return;
	}
	switch (form) {
	case NUM_INTL:
		break;
	case NUM_NATIONAL:
		/* a national significant number; a trunk prefix written in
		 * front of it anyway is dropped. Without a country code there
		 * is nothing to make it international with. */
		if (!plan || !plan->cc_n)
			break;
		if (starts_with(d, plan->trunk, plan->trunk_n))
			x->skip = plan->trunk_n;
		with_cc(x, plan);
		break;
	case NUM_UNKNOWN:
		/* dialled form: international prefix + CC..., trunk prefix +
		 * NSN, or (no prefix) already international */
		if (plan && starts_with(d, plan->intl, plan->intl_n)) {
			x->skip = plan->intl_n;
		} else if (plan && plan->cc_n && starts_with(d, plan->trunk, plan->trunk_n)) {
			x->skip = plan->trunk_n;
			with_cc(x, plan);
		}
		break;
	default:
		x->e164 = false;
		break;
	}
	unsigned n = (unsigned)x->pre_n + d->n - x->skip;
	x->n = (uint8_t)(n > WIRE_MAX_DIGITS ? WIRE_MAX_DIGITS : n);
}

size_t num_to_str(const struct num *x, char *out, size_t outsz)
{
	static const char hex[] = "0123456789abcdef";
	size_t w = 0;
	if (outsz == 0)
		return x->d ? x->n : 0;
	if (x->d)
		for (unsigned i = 0; i < x->n && w + 1 < outsz; i++)
			out[w++] = hex[num_at(x, i)];
	out[w] = '\0';
	return x->d ? x->n : 0;
}

int num_plan_digits(uint8_t *dst, uint8_t *n, size_t cap, const char *s)
{
	size_t l = 0;
	for (; s[l]; l++)
		if (l >= cap || s[l] < '0' || s[l] > '9')
			return -1;
	for (size_t i = 0; i < l; i++)
		dst[i] = (uint8_t)(s[i] - '0');
	*n = (uint8_t)l;
	return 0;
}
