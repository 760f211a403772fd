# issue 13: anon private 4 KiB storm against its batch K (one process per K, --batch K), with and without malloc's mmaps
sel="-b storm -t anon -s 4k --map private --populate no --threads 1 --samples 10 --warmup 1"
for k in 16 32 52 64 96 128 130 160 200 256 295 400 600 1000 1473; do
	mmapbench run -q --suite default $sel --batch $k -o /out/k$k.json >/dev/null || exit
	GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432 mmapbench run -q --suite default $sel --batch $k -o /out/k$k-nommap.json >/dev/null || exit
done
