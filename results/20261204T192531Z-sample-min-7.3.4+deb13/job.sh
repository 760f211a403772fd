# The minimum sample length against the per-op figure: storm 4k on four targets, one
# process per --sample-min, ascending then descending (the order a process runs in
# changes the kernel state it meets), under icount.
sel="-b storm -t anon,memfd,legacy,prepare -p dontdump -s 4k --map private,shared --populate no --threads 1"
i=0
for m in 200000 500000 1000000 5000000 5000000 1000000 500000 200000; do
	i=$((i + 1))
	mmapbench run $sel --sample-min $m -q -o /out/p$i-$m.json || exit 1
done
