build-tsan/obj/src/wire/sccp.o: src/wire/sccp.c include/ss7fw/wire.h \
 include/ss7fw/wire-t.h
include/ss7fw/wire.h:
include/ss7fw/wire-t.h:
