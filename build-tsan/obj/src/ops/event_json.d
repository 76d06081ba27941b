build-tsan/obj/src/ops/event_json.o: src/ops/event_json.c \
 include/ss7fw/event.h include/ss7fw/engine.h include/ss7fw/config-t.h \
 include/ss7fw/verdict-t.h include/ss7fw/wire-t.h include/ss7fw/ber.h \
 include/ss7fw/wire.h
include/ss7fw/event.h:
include/ss7fw/engine.h:
include/ss7fw/config-t.h:
include/ss7fw/verdict-t.h:
include/ss7fw/wire-t.h:
include/ss7fw/ber.h:
include/ss7fw/wire.h:
