build-tsan/obj/tests/unit/test_engine.o: tests/unit/test_engine.c \
 tests/enc/enc-msu.h tests/enc/enc-layers.h tests/enc/enc.h \
 include/ss7fw/wire-t.h tests/harness.h include/ss7fw/engine.h \
 include/ss7fw/config-t.h include/ss7fw/verdict-t.h include/ss7fw/wire.h
tests/enc/enc-msu.h:
tests/enc/enc-layers.h:
tests/enc/enc.h:
include/ss7fw/wire-t.h:
tests/harness.h:
include/ss7fw/engine.h:
include/ss7fw/config-t.h:
include/ss7fw/verdict-t.h:
include/ss7fw/wire.h:
