for m in 200000 1000000 5000000; do
  s=$(cat /proc/uptime | cut -d' ' -f1)
  mmapbench run -b storm -s 4k --map private --populate no --threads 1 --sample-min $m -o /out/s$m.json -q >/out/s$m.log 2>&1
  e=$(cat /proc/uptime | cut -d' ' -f1)
  echo "sample-min $m: $s -> $e" >> /out/times.txt
done
for m in 1000000; do
  s=$(cat /proc/uptime | cut -d' ' -f1)
  mmapbench run -b storm -s 4k --map private --populate no --threads 1 --sample-min $m --no-counts -o /out/nc$m.json -q >/out/nc$m.log 2>&1
  e=$(cat /proc/uptime | cut -d' ' -f1)
  echo "nocounts sample-min $m: $s -> $e" >> /out/times.txt
done
