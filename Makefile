# ss7fw — build, test, fuzz, bench.
#   make            the ss7fw binary (build/ss7fw)
#   make demo       the main job on a built-in default (installs what it needs)
#   make check      every test: unit (plain and ASan+UBSan), integration, fuzz smoke
#   make bench      benchmarks; figures go to stdout (copy them to docs/benchmarks.md)
#   make fuzz       the libFuzzer targets (clang), each run for FUZZ_SECONDS

CC       ?= gcc
BUILD    ?= build
OPT      ?= -O2
SAN      ?=
CSTD     := -std=c11 -D_GNU_SOURCE
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2
CFLAGS   := $(CSTD) $(WARN) $(OPT) -g $(SAN) -Iinclude -Itests
PKGS     := libconfig libpcap libsystemd hiredis openssl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lsctp -lm
LDFLAGS  := $(SAN)

LIB_SRC  := $(sort $(wildcard src/wire/*.c src/track/*.c src/policy/*.c src/ops/*.c src/relay/*.c))
ENC_SRC  := $(sort $(wildcard tests/enc/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
TOOL_SRC := $(sort $(wildcard tools/*.c tests/tools/*.c))
FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))
WIRE_SRC := $(sort $(wildcard src/wire/*.c))

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
ENC_OBJ  := $(ENC_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_BIN := $(foreach s,$(TOOL_SRC),$(BUILD)/tools/$(basename $(notdir $(s))))

.SECONDARY:
.PHONY: all tests tools deps demo check check-unit check-asan check-integ check-fuzz fuzz bench clean install

all: $(BUILD)/ss7fw

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libss7fw.a: $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/libenc.a: $(ENC_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

CLI_SRC  := $(sort $(wildcard src/cli/*.c))
$(BUILD)/ss7fw: $(CLI_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/libss7fw.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(BUILD)/libenc.a $(BUILD)/libss7fw.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

define tool_rule
$(BUILD)/tools/$(basename $(notdir $(1))): $(BUILD)/obj/$(1:.c=.o) $(BUILD)/libenc.a $(BUILD)/libss7fw.a
	@mkdir -p $$(dir $$@)
	$$(CC) $$(LDFLAGS) -o $$@ $$^ $$(LDLIBS)
endef
$(foreach s,$(TOOL_SRC),$(eval $(call tool_rule,$(s))))

tests: $(UNIT_BIN)
tools: $(TOOL_BIN)

deps:
	@sh scripts/deps.sh

# The unit suite, plain and under ASan+UBSan; then integration tests; then a
# bounded fuzz run. tests/run.sh prints the closing "N passed, N failed" line.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
check: deps
	$(MAKE) -j$(JOBS) all tests tools
	$(MAKE) -j$(JOBS) BUILD=build-asan OPT=-O1 SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" all tests tools
	$(MAKE) -j$(JOBS) fuzz-build
	sh tests/run.sh

check-unit: all tests tools
	sh tests/run.sh unit

demo: deps
	$(MAKE) -j$(JOBS) all tools
	sh scripts/demo.sh

# libFuzzer targets: clang, ASan+UBSan, the wire decoders compiled in.
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -Iinclude -Itests -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_BIN := $(FUZZ_SRC:fuzz/%.c=build-fuzz/%)
fuzz-build: $(FUZZ_BIN)
build-fuzz/%: fuzz/%.c $(LIB_SRC) $(ENC_SRC)
	@mkdir -p build-fuzz
	clang $(FUZZ_CFLAGS) $(PKG_CFLAGS) -o $@ $< $(LIB_SRC) $(LDLIBS)

FUZZ_SECONDS ?= 60
fuzz: fuzz-build
	sh tests/fuzz.sh $(FUZZ_SECONDS)

bench: deps
	$(MAKE) -j$(JOBS) all tools
	sh scripts/bench.sh

clean:
	rm -rf build build-asan build-fuzz

PREFIX ?= /usr/local
install: all
	install -D -m 0755 $(BUILD)/ss7fw $(DESTDIR)$(PREFIX)/sbin/ss7fw
	install -D -m 0644 docs/ss7fw.8 $(DESTDIR)$(PREFIX)/share/man/man8/ss7fw.8
	install -D -m 0644 systemd/ss7fw.service $(DESTDIR)/lib/systemd/system/ss7fw.service
	install -d $(DESTDIR)/etc/ss7fw
	cp -rn policies/*.conf policies/lists $(DESTDIR)/etc/ss7fw/ 2>/dev/null || true

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
