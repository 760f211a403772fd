#!/bin/sh
# issue 13 on the host: xcheck --wis, then storm 2 tasks as threads and processes, 3 processes each, interleaved
B=/work/wt-13/build/bench
echo "started: $(date -u +%FT%TZ), loadavg $(cat /proc/loadavg)" > load.txt
$B/mmapbench-xcheck --procs 8 --ms 200 --samples 10 --wis /tmp/wis --wis-seconds 2 -o xcheck.json > xcheck.txt 2> xcheck.err
echo "xcheck ended: $(date -u +%FT%TZ), loadavg $(cat /proc/loadavg)" >> load.txt
for i in 1 2 3; do for m in threads processes; do
	$B/mmapbench run -q -b storm -t anon -s 4k,2m --map private --populate no --threads 1,2 --tasks $m --samples 10 -o tasks-$m-$i.json > /dev/null 2>> tasks.err
done; done
echo "ended: $(date -u +%FT%TZ), loadavg $(cat /proc/loadavg)" >> load.txt
