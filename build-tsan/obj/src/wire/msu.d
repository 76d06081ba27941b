build-tsan/obj/src/wire/msu.o: src/wire/msu.c include/ss7fw/ber.h \
 include/ss7fw/wire-t.h include/ss7fw/wire.h
include/ss7fw/ber.h:
include/ss7fw/wire-t.h:
include/ss7fw/wire.h:
