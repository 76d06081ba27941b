build-tsan/obj/src/wire/digits.o: src/wire/digits.c include/ss7fw/wire.h \
 include/ss7fw/wire-t.h
include/ss7fw/wire.h:
include/ss7fw/wire-t.h:
