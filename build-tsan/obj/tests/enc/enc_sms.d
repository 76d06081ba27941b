build-tsan/obj/tests/enc/enc_sms.o: tests/enc/enc_sms.c \
 tests/enc/enc-layers.h tests/enc/enc.h include/ss7fw/wire-t.h
tests/enc/enc-layers.h:
tests/enc/enc.h:
include/ss7fw/wire-t.h:
