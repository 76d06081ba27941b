build-tsan/obj/src/relay/reject.o: src/relay/reject.c \
 include/ss7fw/reject.h include/ss7fw/wire-t.h
include/ss7fw/reject.h:
include/ss7fw/wire-t.h:
