# ixapid: an IX-API v2 provisioning server.
#
#   make run     install what is missing, build, start a private PostgreSQL
#                in var/, migrate, seed the demo exchange, serve :8080
#   make test    install what is missing, build, run every test tier:
#                unit (cmocka), integration (real server, throw-away
#                PostgreSQL), OpenAPI checks, and all of it again under
#                AddressSanitizer + UndefinedBehaviorSanitizer
#   make bench   list scaling (10,000 configs) against row_to_json and
#                GET by id, side by side, and wrk against GET /accounts/{id}
#                and a bare libmicrohttpd baseline; prints ratios and goals

SHELL := /bin/bash
BUILD ?= build
CC ?= cc
PKGS := libmicrohttpd jansson libpq libjwt libsodium cairo fontconfig libcurl
TEST_PKGS := $(PKGS) cmocka

WARNINGS := -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes -Wstrict-prototypes -Wformat=2
CFLAGS ?= -O2 -g
SAN ?=
# Two pkg-config calls: one missing test package must not cost the server's flags.
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -pthread $(WARNINGS) $(CFLAGS) $(SAN) -Iserver -Itests/harness \
	$(shell pkg-config --cflags $(PKGS)) $(shell pkg-config --cflags cmocka 2>/dev/null) -MMD -MP
LIBS = $(shell pkg-config --libs $(PKGS)) -lm -pthread
TEST_LIBS = $(shell pkg-config --libs $(TEST_PKGS)) -lm -pthread

# server/adapters/ and server/ctl/ hold programs of their own (see SWITCHD
# and CTL below), kept out of libixapi.a.
ALL_C := $(filter-out server/adapters/% server/ctl/%,$(shell find server -name '*.c'))
UNIT_TEST_SRCS := $(filter %_test.c,$(ALL_C))
ITEST_SRCS := $(filter %_itest.c,$(ALL_C)) $(wildcard tests/integration/*_itest.c server/ctl/*_itest.c)
LIB_SRCS := $(filter-out %_test.c %_itest.c server/main.c,$(ALL_C))
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
HARNESS_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(wildcard tests/harness/*.c))
UNIT_TESTS := $(UNIT_TEST_SRCS:%.c=$(BUILD)/%)
ITESTS := $(ITEST_SRCS:%.c=$(BUILD)/%)
OPENAPI_OBJ := $(BUILD)/gen/openapi_doc.o

.PHONY: all build run test test-build test-tier test-unit test-api test-e2e bench deps deps-test clean format schema stop-db fuzz fuzz-build openapi

all: build

build: $(BUILD)/ixapid $(BUILD)/ixapi-switchd $(BUILD)/ixapi-rsd $(BUILD)/ixapictl

deps:
	@scripts/install-deps.sh

deps-test:
	@scripts/install-deps.sh --test

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/gen/openapi_doc.c: openapi/ixapi.json
	@mkdir -p $(dir $@)
	xxd -i $< > $@

$(OPENAPI_OBJ): $(BUILD)/gen/openapi_doc.c
	$(CC) -c $< -o $@

$(BUILD)/libixapi.a: $(LIB_OBJS) $(OPENAPI_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/ixapid: $(BUILD)/server/main.o $(BUILD)/libixapi.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS)

# What both adapters link: their HTTP side and daemon parts
# (server/adapters/common/) and the core modules they need.
ADAPTER_C := $(shell find server/adapters/common -name '*.c')
ADAPTER_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(filter-out %_test.c,$(ADAPTER_C))) \
	$(patsubst %,$(BUILD)/server/core/%.o,log problem util)
ADAPTER_UNIT_TESTS := $(patsubst %.c,$(BUILD)/%,$(filter %_test.c,$(ADAPTER_C)))
ADAPTER_LIBS = $(shell pkg-config --libs libmicrohttpd jansson) -pthread

$(ADAPTER_UNIT_TESTS): $(BUILD)/%: $(BUILD)/%.o $(ADAPTER_OBJS)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ADAPTER_LIBS) $(shell pkg-config --libs cmocka)

# The reference switch adapter: its own main, the core modules it needs
# (and mac), none of the server's.
SWITCHD_PKGS := libmicrohttpd jansson libmnl libnftables libpcap
SWITCHD_C := $(shell find server/adapters/switch -name '*.c')
SWITCHD_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(filter-out %_test.c server/adapters/switch/switchd.c,$(SWITCHD_C))) \
	$(ADAPTER_OBJS) $(BUILD)/server/core/mac.o
SWITCHD_UNIT_TESTS := $(patsubst %.c,$(BUILD)/%,$(filter %_test.c,$(SWITCHD_C)))
SWITCHD_LIBS = $(shell pkg-config --libs $(SWITCHD_PKGS)) -pthread
$(BUILD)/server/adapters/%.o: ALL_CFLAGS += $(shell pkg-config --cflags $(SWITCHD_PKGS) 2>/dev/null)

$(BUILD)/ixapi-switchd: $(BUILD)/server/adapters/switch/switchd.o $(SWITCHD_OBJS)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(SWITCHD_LIBS)

$(SWITCHD_UNIT_TESTS): $(BUILD)/%: $(BUILD)/%.o $(SWITCHD_OBJS)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(SWITCHD_LIBS) $(shell pkg-config --libs cmocka)

# The route-server adapter (issue 11): BIRD 2 driven over its control
# socket.
RSD_C := $(shell find server/adapters/rs -name '*.c')
RSD_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(filter-out %_test.c server/adapters/rs/rsd.c,$(RSD_C))) $(ADAPTER_OBJS)
RSD_UNIT_TESTS := $(patsubst %.c,$(BUILD)/%,$(filter %_test.c,$(RSD_C)))
RSD_LIBS = $(ADAPTER_LIBS)

$(BUILD)/ixapi-rsd: $(BUILD)/server/adapters/rs/rsd.o $(RSD_OBJS)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(RSD_LIBS)

$(RSD_UNIT_TESTS): $(BUILD)/%: $(BUILD)/%.o $(RSD_OBJS)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(RSD_LIBS) $(shell pkg-config --libs cmocka)

# ixapictl (issue 12): the operators' command line, a client of the API
# over HTTP (libcurl, jansson); of the server's modules it links util only.
CTL_C := $(shell find server/ctl -name '*.c')
CTL_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(filter-out %_test.c %_itest.c server/ctl/ixapictl.c,$(CTL_C))) \
	$(BUILD)/server/core/util.o
CTL_UNIT_TESTS := $(patsubst %.c,$(BUILD)/%,$(filter %_test.c,$(CTL_C)))
CTL_LIBS = $(shell pkg-config --libs libcurl jansson)

$(BUILD)/ixapictl: $(BUILD)/server/ctl/ixapictl.o $(CTL_OBJS)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(CTL_LIBS)

$(CTL_UNIT_TESTS): $(BUILD)/%: $(BUILD)/%.o $(CTL_OBJS)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(CTL_LIBS) $(shell pkg-config --libs cmocka)

# ixapictl_itest runs the binary next to IXAPI_BIN.
$(BUILD)/server/ctl/ixapictl_itest: | $(BUILD)/ixapictl

$(UNIT_TESTS): $(BUILD)/%: $(BUILD)/%.o $(BUILD)/libixapi.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(TEST_LIBS)

$(ITESTS): $(BUILD)/%: $(BUILD)/%.o $(HARNESS_OBJS) $(BUILD)/libixapi.a | $(BUILD)/tests/harness/adapter/test_adapter
	$(CC) $(ALL_CFLAGS) -o $@ $(filter-out $(BUILD)/tests/harness/adapter/test_adapter,$^) $(TEST_LIBS)

# The controllable switch adapter of the workers' fault tests (jobs_itest).
$(BUILD)/tests/harness/adapter/test_adapter: $(BUILD)/tests/harness/adapter/test_adapter.o
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS)

run: deps build
	@scripts/run-demo.sh

stop-db:
	@scripts/pg-private.sh stop var/pg $${IXAPI_PG_PORT:-5433}

# The one test command (CI runs exactly this): the static checks, then the
# builds and two lanes side by side (tests/run-tiers.sh: each line prefixed
# with its lane): the sanitizer build's unit, integration and lab tests; the
# plain build's unit and end-to-end tests; each lane then fuzzes half of the
# targets.
test: deps-test
	tests/check-format.sh
	tests/check-sql-functions.sh
	tests/check-positional-reads.sh
	tests/tools/smtp-sink-test.sh
	tests/run-tiers.sh "$(MAKE)" $(TEST_FUZZ_SECONDS)

# What a tier runs, built (for one BUILD folder).
test-build: $(BUILD)/ixapid $(BUILD)/ixapi-switchd $(BUILD)/ixapi-rsd $(BUILD)/ixapictl $(UNIT_TESTS) $(ADAPTER_UNIT_TESTS) \
		$(SWITCHD_UNIT_TESTS) $(RSD_UNIT_TESTS) $(CTL_UNIT_TESTS) $(ITESTS)

# A tier is three parts; `make test` runs them in two lanes side by side
# (tests/run-tiers.sh), each part once: the sanitizer build runs the unit
# tests, the integration tests and the adapters' labs (our C against a real
# PostgreSQL, BIRD and namespaces, where a memory error is caught); the
# plain build runs the unit tests and the end-to-end scripts (the whole
# deployment as an exchange runs it, and `make run`). `make test-tier`
# runs all three parts on one build folder.
test-tier: test-unit test-api test-e2e

test-unit: test-build
	@echo "== unit tests ($(BUILD))"
	@set -e; for t in $(UNIT_TESTS) $(ADAPTER_UNIT_TESTS) $(SWITCHD_UNIT_TESTS) $(RSD_UNIT_TESTS) $(CTL_UNIT_TESTS); do echo "-- $$t"; $$t; done

test-api: test-build
	@echo "== integration tests ($(BUILD))"
	tests/with-temp-pg.sh tests/run-integration.sh $(BUILD)
	@echo "== switch adapter on a namespace lab ($(BUILD))"
	tests/adapters/switch-lab.sh $(BUILD)
	@echo "== route-server adapter: ixapi-rsd, two BIRD route servers, three BIRD members ($(BUILD))"
	tests/adapters/rs-lab.sh $(BUILD)

test-e2e: test-build
	@echo "== route-server adapter: BIRD parses every golden configuration"
	tests/adapters/rs/golden-bird.sh
	@echo "== end to end: ixapid, workers, ixapi-switchd, a namespace lab ($(BUILD))"
	tests/e2e/network.sh $(BUILD)
	@echo "== end to end: onboarding, from the application to production and billing (issue 12) ($(BUILD))"
	tests/e2e/onboarding.sh $(BUILD)
	@echo "== end to end: route-server sessions ordered through the API, ixapi-rsd, BIRD ($(BUILD))"
	tests/e2e/route-servers.sh $(BUILD)
	@echo "== end to end: statistics from real counters, traffic between two members ($(BUILD))"
	tests/e2e/statistics.sh $(BUILD)
	@echo "== make run without root ($(BUILD))"
	tests/e2e/run-nonroot.sh $(BUILD)
	@echo "== make run as root: the banner's steps, m1's sessions with both route servers, SIGTERM ($(BUILD))"
	tests/e2e/run-root.sh $(BUILD)

bench: deps-test $(BUILD)/ixapid $(BUILD)/ixapi-switchd $(BUILD)/ixapi-rsd $(BUILD)/bench/baseline $(BUILD)/bench/latency $(BUILD)/tests/harness/adapter/test_adapter
	tests/with-temp-pg.sh bench/run.sh $(BUILD)
	bench/rs.sh $(BUILD)
	bench/rs-session.sh $(BUILD)

$(BUILD)/bench/baseline: bench/baseline.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIBS)

$(BUILD)/bench/latency: bench/latency.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(TEST_LIBS)

# schema/schema.sql is what the migrations produce, for readers; a test
# compares the two. Regenerate after adding a migration.
schema: $(BUILD)/ixapid
	tests/with-temp-pg.sh tests/dump-schema.sh $(BUILD) > schema/schema.sql

# openapi/ixapi.json from openapi/generate.py (needs ../shared/ixapi next to
# the checkout); commit both.
openapi:
	/usr/bin/python3 openapi/generate.py

format:
	clang-format -i $(ALL_C) $(ADAPTER_C) $(SWITCHD_C) $(RSD_C) $(CTL_C) $(wildcard tests/harness/*.[ch] tests/harness/adapter/*.c tests/integration/*.c bench/*.c) $(shell find server -name '*.h')

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# libFuzzer over what parses untrusted input (bodies, filters); clang only.
# The library is compiled once for all targets (instrumented, not linked
# with libFuzzer's main: fuzzer-no-link); `make -j fuzz-build` spreads it over
# the cores. `make test` builds them with the other builds and runs each
# target for TEST_FUZZ_SECONDS.
FUZZ_SECONDS ?= 30
TEST_FUZZ_SECONDS ?= 15
FUZZ_SRCS := $(filter-out server/main.c,$(LIB_SRCS))
FUZZ_TARGETS ?= json_body filters gate_report agreement_callback
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -g -O1 -Iserver $(shell pkg-config --cflags $(PKGS))
FUZZ_OBJS := $(patsubst %.c,$(BUILD)/fuzz/obj/%.o,$(FUZZ_SRCS)) $(BUILD)/fuzz/obj/gen/openapi_doc.o
FUZZ_BINS := $(addprefix $(BUILD)/fuzz/,$(FUZZ_TARGETS))

$(BUILD)/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -MMD -MP -c $< -o $@

$(BUILD)/fuzz/obj/gen/openapi_doc.o: $(BUILD)/gen/openapi_doc.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -c $< -o $@

$(FUZZ_BINS): $(BUILD)/fuzz/%: tests/fuzz/%_fuzz.c $(FUZZ_OBJS)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< $(FUZZ_OBJS) $(LIBS)

fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-build
	@echo "== fuzzing ($(FUZZ_SECONDS) s per target)"
	@for t in $(FUZZ_TARGETS); do \
		$(BUILD)/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -artifact_prefix=$(BUILD)/fuzz/ \
			-print_final_stats=0 2>&1 | grep -E '^(Done|==[0-9]+==|SUMMARY|#[0-9]+ *DONE)' ; \
		test $${PIPESTATUS[0]} -eq 0 || exit 1; \
	done
