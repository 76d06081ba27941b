build-tsan/obj/src/ops/evlog.o: src/ops/evlog.c include/ss7fw/event.h \
 include/ss7fw/engine.h include/ss7fw/config-t.h \
 include/ss7fw/verdict-t.h include/ss7fw/wire-t.h include/ss7fw/ops.h \
 include/ss7fw/loop.h include/ss7fw/siem.h
include/ss7fw/event.h:
include/ss7fw/engine.h:
include/ss7fw/config-t.h:
include/ss7fw/verdict-t.h:
include/ss7fw/wire-t.h:
include/ss7fw/ops.h:
include/ss7fw/loop.h:
include/ss7fw/siem.h:
