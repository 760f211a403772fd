mmapbench run --suite quick --seed 1 -o /out/q.json > /out/q.log 2>&1
echo $? > /out/q.status
