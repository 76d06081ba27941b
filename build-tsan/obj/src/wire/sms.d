build-tsan/obj/src/wire/sms.o: src/wire/sms.c include/ss7fw/wire.h \
 include/ss7fw/wire-t.h
include/ss7fw/wire.h:
include/ss7fw/wire-t.h:
