build-tsan/obj/src/wire/tcap.o: src/wire/tcap.c include/ss7fw/ber.h \
 include/ss7fw/wire-t.h include/ss7fw/wire.h
include/ss7fw/ber.h:
include/ss7fw/wire-t.h:
include/ss7fw/wire.h:
