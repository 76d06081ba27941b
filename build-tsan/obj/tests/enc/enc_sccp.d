build-tsan/obj/tests/enc/enc_sccp.o: tests/enc/enc_sccp.c \
 tests/enc/enc-layers.h tests/enc/enc.h include/ss7fw/wire-t.h
tests/enc/enc-layers.h:
tests/enc/enc.h:
include/ss7fw/wire-t.h:
