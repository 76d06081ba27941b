build-tsan/obj/tests/enc/enc.o: tests/enc/enc.c tests/enc/enc.h
tests/enc/enc.h:
