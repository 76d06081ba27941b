build-tsan/obj/tests/unit/test_relay.o: tests/unit/test_relay.c \
 tests/enc/enc-msu.h tests/enc/enc-layers.h tests/enc/enc.h \
 include/ss7fw/wire-t.h tests/harness.h include/ss7fw/engine.h \
 include/ss7fw/config-t.h include/ss7fw/verdict-t.h \
 include/ss7fw/reject.h include/ss7fw/relay.h include/ss7fw/loop.h \
 include/ss7fw/ops.h include/ss7fw/relay-t.h include/ss7fw/wire.h
tests/enc/enc-msu.h:
tests/enc/enc-layers.h:
tests/enc/enc.h:
include/ss7fw/wire-t.h:
tests/harness.h:
include/ss7fw/engine.h:
include/ss7fw/config-t.h:
include/ss7fw/verdict-t.h:
include/ss7fw/reject.h:
include/ss7fw/relay.h:
include/ss7fw/loop.h:
include/ss7fw/ops.h:
include/ss7fw/relay-t.h:
include/ss7fw/wire.h:
