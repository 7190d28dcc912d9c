/*
 * libFuzzer target: bodies of the e-signature provider's callback through
 * the signature check and the parser that reads the event, the envelope,
 * the signer and the base64 PDF of a completed envelope
 * (agreements_callback_parse). `make fuzz` runs it; `make test` runs it for
 * a bounded time.
 */
#include "onboarding/agreements.h"

#include "loa/loa_pdf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *header = malloc(size + 1); /* the bytes as a signature header too */
	memcpy(header, data, size);
	header[size] = '\0';
	(void)agreements_signature_ok("fuzz-key", (const char *)data, size, header);
	free(header);
	struct agreement_callback cb;
	json_t *j = NULL;
	struct problem *p = agreements_callback_parse((const char *)data, size, &cb, &j);
	if (p) {
		json_decref(problem_to_json(p, "/fuzz"));
		problem_free(p);
		return 0;
	}
	if (!cb.event || !cb.generated_at || !cb.envelope_id ||
	    (cb.sig.pdf && !loa_pdf_looks_valid(cb.sig.pdf, cb.sig.pdf_len)))
		abort();
	free((void *)cb.sig.pdf);
	json_decref(j);
	return 0;
}
