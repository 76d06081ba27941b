build-tsan/obj/src/ops/capture.o: src/ops/capture.c \
 include/ss7fw/capture.h
include/ss7fw/capture.h:
