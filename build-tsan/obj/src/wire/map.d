build-tsan/obj/src/wire/map.o: src/wire/map.c include/ss7fw/ber.h \
 include/ss7fw/wire-t.h include/ss7fw/wire.h
include/ss7fw/ber.h:
include/ss7fw/wire-t.h:
include/ss7fw/wire.h:
