build-tsan/obj/src/wire/m3ua.o: src/wire/m3ua.c include/ss7fw/wire.h \
 include/ss7fw/wire-t.h
include/ss7fw/wire.h:
include/ss7fw/wire-t.h:
