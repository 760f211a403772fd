SCAN_FIRST=1 SCAN_LAST=40
# seed scan: t_fuzz with MB_FUZZ_SEED = FIRST..LAST, the seed on the console before each
first=${SCAN_FIRST:-1} last=${SCAN_LAST:-100}
mkdir -p /out/scan
s=$first
while [ "$s" -le "$last" ]; do
	echo "<3>scan: seed $s" > /dev/kmsg
	MB_FUZZ_SEED=$s MB_FUZZ_OPS=20000 /opt/mmapbench/bin/t_fuzz > /out/scan/$s.tap 2>&1
	echo "# exit $?" >> /out/scan/$s.tap
	s=$((s + 1))
done
