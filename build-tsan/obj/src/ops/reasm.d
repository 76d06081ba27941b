build-tsan/obj/src/ops/reasm.o: src/ops/reasm.c include/ss7fw/reasm.h \
 include/ss7fw/wire-t.h
include/ss7fw/reasm.h:
include/ss7fw/wire-t.h:
