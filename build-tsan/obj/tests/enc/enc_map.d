build-tsan/obj/tests/enc/enc_map.o: tests/enc/enc_map.c \
 tests/enc/enc-layers.h tests/enc/enc.h include/ss7fw/wire-t.h \
 include/ss7fw/ber.h
tests/enc/enc-layers.h:
tests/enc/enc.h:
include/ss7fw/wire-t.h:
include/ss7fw/ber.h:
