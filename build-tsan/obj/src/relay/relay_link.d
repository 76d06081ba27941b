build-tsan/obj/src/relay/relay_link.o: src/relay/relay_link.c \
 src/relay/relay-int.h include/ss7fw/reject.h include/ss7fw/wire-t.h \
 include/ss7fw/relay.h include/ss7fw/config-t.h include/ss7fw/engine.h \
 include/ss7fw/verdict-t.h include/ss7fw/loop.h include/ss7fw/ops.h \
 include/ss7fw/relay-t.h
src/relay/relay-int.h:
include/ss7fw/reject.h:
include/ss7fw/wire-t.h:
include/ss7fw/relay.h:
include/ss7fw/config-t.h:
include/ss7fw/engine.h:
include/ss7fw/verdict-t.h:
include/ss7fw/loop.h:
include/ss7fw/ops.h:
include/ss7fw/relay-t.h:
