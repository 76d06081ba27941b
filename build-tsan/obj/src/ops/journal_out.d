build-tsan/obj/src/ops/journal_out.o: src/ops/journal_out.c \
 include/ss7fw/siem.h include/ss7fw/engine.h include/ss7fw/config-t.h \
 include/ss7fw/verdict-t.h include/ss7fw/wire-t.h include/ss7fw/loop.h
include/ss7fw/siem.h:
include/ss7fw/engine.h:
include/ss7fw/config-t.h:
include/ss7fw/verdict-t.h:
include/ss7fw/wire-t.h:
include/ss7fw/loop.h:
