def rows: [.cases[] | select(.status == "ok") | . as $c | .metrics[] | select(.stats.per_op != null and .stats.per_op != 0)
  | {key: ([$c.bench, $c.target, $c.profile, ($c.params | tojson), .name] | tojson), value: .stats.per_op}] | from_entries;
($a[0] | rows) as $x | ($b[0] | rows) as $y
| [$x | keys[] | select($y[.] != null) | ($y[.] / $x[.] - 1) * 100] | sort
| {n: length, median: .[length / 2 | floor], p90: .[length * 9 / 10 | floor], min: .[0], max: .[-1],
   within_1pct: map(select(fabs <= 1)) | length}
