build-tsan/obj/src/ops/loop.o: src/ops/loop.c include/ss7fw/loop.h
include/ss7fw/loop.h:
