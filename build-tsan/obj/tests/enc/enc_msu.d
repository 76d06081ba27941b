build-tsan/obj/tests/enc/enc_msu.o: tests/enc/enc_msu.c \
 tests/enc/enc-msu.h tests/enc/enc-layers.h tests/enc/enc.h \
 include/ss7fw/wire-t.h
tests/enc/enc-msu.h:
tests/enc/enc-layers.h:
tests/enc/enc.h:
include/ss7fw/wire-t.h:
