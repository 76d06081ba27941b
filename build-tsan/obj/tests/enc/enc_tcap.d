build-tsan/obj/tests/enc/enc_tcap.o: tests/enc/enc_tcap.c \
 tests/enc/enc-layers.h tests/enc/enc.h include/ss7fw/wire-t.h
tests/enc/enc-layers.h:
tests/enc/enc.h:
include/ss7fw/wire-t.h:
