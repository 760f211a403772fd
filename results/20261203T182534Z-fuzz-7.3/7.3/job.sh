seed=2186748802572 ops=5000
echo "$seed" >/out/fuzz.seed
echo "mmapbench-fuzz: seed=$seed ops=$ops" >/dev/console
mkdir -p /out/tap
fails=0
run() {	# run NAME CMD...: TAP into /out/tap/NAME.tap
	n=$1; shift
	echo "mmapbench-fuzz: $n" >/dev/console
	"$@" >/out/tap/$n.tap 2>&1
	s=$?
	echo "# exit status $s" >>/out/tap/$n.tap
	[ $s = 0 ] || fails=$((fails + 1))
}
run t_fuzz env MB_FUZZ_SEED=$seed MB_FUZZ_OPS=$ops t_fuzz
run t_race env MB_RACE_SEED=$seed MB_RACE_OPS=1250 MB_RACE_THREADS=4 t_race
run t_stress env MB_STRESS_SECONDS=5 t_stress
if dmesg | grep -qE 'BUG:|WARNING:|Oops|KASAN|KCSAN|circular locking|Call Trace'; then
	echo "mmapbench-fuzz: the kernel complained; the TAP and dmesg follow" >/dev/console
	for f in /out/tap/*.tap; do echo "mmapbench-fuzz: $f"; cat "$f"; done >/dev/console
	echo "mmapbench-fuzz: dmesg" >/dev/console
	dmesg >/dev/console
	echo "mmapbench-fuzz: end of dmesg" >/dev/console
fi
exit $fails
