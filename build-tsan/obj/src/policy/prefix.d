build-tsan/obj/src/policy/prefix.o: src/policy/prefix.c \
 include/ss7fw/policy.h include/ss7fw/policy-t.h include/ss7fw/config-t.h \
 include/ss7fw/wire-t.h include/ss7fw/track.h include/ss7fw/track-t.h \
 include/ss7fw/verdict-t.h include/ss7fw/wire.h
include/ss7fw/policy.h:
include/ss7fw/policy-t.h:
include/ss7fw/config-t.h:
include/ss7fw/wire-t.h:
include/ss7fw/track.h:
include/ss7fw/track-t.h:
include/ss7fw/verdict-t.h:
include/ss7fw/wire.h:
