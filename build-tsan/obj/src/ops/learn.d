build-tsan/obj/src/ops/learn.o: src/ops/learn.c include/ss7fw/learn.h
include/ss7fw/learn.h:
