build-tsan/obj/src/wire/ber.o: src/wire/ber.c include/ss7fw/ber.h \
 include/ss7fw/wire-t.h
include/ss7fw/ber.h:
include/ss7fw/wire-t.h:
