build-tsan/obj/src/ops/droppcap.o: src/ops/droppcap.c include/ss7fw/ops.h \
 include/ss7fw/config-t.h include/ss7fw/engine.h \
 include/ss7fw/verdict-t.h include/ss7fw/wire-t.h include/ss7fw/loop.h
include/ss7fw/ops.h:
include/ss7fw/config-t.h:
include/ss7fw/engine.h:
include/ss7fw/verdict-t.h:
include/ss7fw/wire-t.h:
include/ss7fw/loop.h:
