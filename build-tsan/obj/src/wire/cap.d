build-tsan/obj/src/wire/cap.o: src/wire/cap.c include/ss7fw/wire.h \
 include/ss7fw/wire-t.h
include/ss7fw/wire.h:
include/ss7fw/wire-t.h:
