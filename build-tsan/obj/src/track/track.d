build-tsan/obj/src/track/track.o: src/track/track.c include/ss7fw/track.h \
 include/ss7fw/track-t.h include/ss7fw/wire-t.h include/ss7fw/wire.h
include/ss7fw/track.h:
include/ss7fw/track-t.h:
include/ss7fw/wire-t.h:
include/ss7fw/wire.h:
