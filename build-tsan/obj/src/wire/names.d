build-tsan/obj/src/wire/names.o: src/wire/names.c include/ss7fw/wire.h \
 include/ss7fw/wire-t.h
include/ss7fw/wire.h:
include/ss7fw/wire-t.h:
