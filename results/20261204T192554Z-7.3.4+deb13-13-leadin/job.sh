# issue 13: storm 4k with the lead-in (icount), then storm with 2 tasks as threads and as processes
run-suite --out /out --suite default -- -b storm,storm-beside -s 4k --threads 1 || exit
for m in threads processes; do
	mmapbench run -q --suite default -b storm -t anon,memfd -s 4k,2m --map private,shared --populate no --threads 2 --tasks $m --samples 10 --warmup 1 -o /out/tasks-$m.json >/dev/null || exit
done
