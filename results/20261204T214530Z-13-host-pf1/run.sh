#!/bin/sh
# issue 13 on the host: xcheck --wis, page_fault1 like with like (harness touches + the bare loop's mmap and munmap share)
B=/work/wt-13/build/bench
echo "started: $(date -u +%FT%TZ), loadavg $(cat /proc/loadavg)" > load.txt
$B/mmapbench-xcheck --procs 8 --ms 200 --samples 10 --wis /tmp/wis --wis-seconds 2 -o xcheck.json > xcheck.txt 2> xcheck.err
echo "ended: $(date -u +%FT%TZ), loadavg $(cat /proc/loadavg)" >> load.txt
