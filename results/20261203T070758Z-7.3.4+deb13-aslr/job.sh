# ASLR and the rows that move between boots: the same selection as 4 processes in
# one boot with address randomisation on, then 4 with it off.
sel1="-b storm -t anon,memfd,legacy -s 64k,2m --map private,shared --populate no --threads 1,2 --samples 10 --warmup 2"
sel2="-b merge-fill,merge -t anon,memfd,legacy --samples 10 --warmup 2"
cat /proc/sys/kernel/randomize_va_space >/out/randomize_va_space.before
for mode in on off; do
	[ $mode = off ] && sysctl -w kernel.randomize_va_space=0
	for i in 1 2 3 4; do
		mkdir -p /out/aslr-$mode/storm/r$i /out/aslr-$mode/merge/r$i
		mmapbench run -q $sel1 -o /out/aslr-$mode/storm/r$i/results.json || exit 1
		mmapbench run -q $sel2 -o /out/aslr-$mode/merge/r$i/results.json || exit 1
	done
done
