# issue 13: storm cases' harness/floor under icount, the floor one loop of K ops per sample
run-suite --out /out --suite default -- -b storm,storm-beside -s 4k,2m --threads 1 || exit
# the same cases without interleaving: one target per process (shmem and a file map)
for t in anon devzero memfd; do
	mmapbench run -q --suite default -b storm -s 4k,2m --threads 1 -t $t -o /out/alone-$t.json >/dev/null || exit
done
