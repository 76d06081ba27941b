build-tsan/obj/src/wire/number.o: src/wire/number.c include/ss7fw/wire.h \
 include/ss7fw/wire-t.h
include/ss7fw/wire.h:
include/ss7fw/wire-t.h:
