# issue 13: populated 4 KiB private storms, interleaved: does the floor's lower figure follow malloc's mmaps?
sel="-b storm -s 4k --map private --populate yes --threads 1"
mmapbench run -q --suite default $sel -o /out/interleaved.json >/dev/null || exit
GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432 mmapbench run -q --suite default $sel -o /out/interleaved-nommap.json >/dev/null || exit
mmapbench run -q --suite default $sel -t anon -o /out/alone-anon.json >/dev/null || exit
GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432 mmapbench run -q --suite default $sel -t anon -o /out/alone-anon-nommap.json >/dev/null || exit
