build-tsan/obj/src/ops/engine.o: src/ops/engine.c include/ss7fw/engine.h \
 include/ss7fw/config-t.h include/ss7fw/verdict-t.h \
 include/ss7fw/wire-t.h include/ss7fw/policy.h include/ss7fw/policy-t.h \
 include/ss7fw/track.h include/ss7fw/track-t.h include/ss7fw/reasm.h \
 include/ss7fw/wire.h
include/ss7fw/engine.h:
include/ss7fw/config-t.h:
include/ss7fw/verdict-t.h:
include/ss7fw/wire-t.h:
include/ss7fw/policy.h:
include/ss7fw/policy-t.h:
include/ss7fw/track.h:
include/ss7fw/track-t.h:
include/ss7fw/reasm.h:
include/ss7fw/wire.h:
