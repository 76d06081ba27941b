build-tsan/obj/tests/enc/enc_m3ua.o: tests/enc/enc_m3ua.c \
 tests/enc/enc-layers.h tests/enc/enc.h include/ss7fw/wire-t.h
tests/enc/enc-layers.h:
tests/enc/enc.h:
include/ss7fw/wire-t.h:
