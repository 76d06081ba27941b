build-tsan/obj/tests/enc/enc_frame.o: tests/enc/enc_frame.c \
 tests/enc/enc-frame.h
tests/enc/enc-frame.h:
