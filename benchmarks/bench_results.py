"""Gather a `subattr bench` folder's finished items (all, or as many as are done) into one small gzipped JSON,
the file notebook 16 reads: python benchmarks/bench_results.py BENCH_DIR OUT.json.gz 'THE COMMAND THAT RAN IT'"""
import gzip, json, sys
from pathlib import Path
from subattr.sweep import _read_item   # the bench's own reader: a damaged item file counts as not finished
src, dst, command = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
items = [r for f in sorted((src/'items').glob('bench-*.json')) if (r := _read_item(f)) is not None]
if not items: sys.exit(f"'{src}' holds no finished bench items (items/bench-*.json).")
rows = []
for item in items:
    for r in item:
        r.pop('probe', None); rows.append(r)
rows.sort(key=lambda r: (r['method'], r['task'], r['ref'], r['seed'], r['prompt'], r['image']))
tmp = dst.with_name(dst.name + '.tmp')
with gzip.open(tmp, 'wt') as f: json.dump(dict(command=command, items=len(items), rows=rows), f)
tmp.replace(dst)
print(f'{len(items)} items, {len(rows)} images -> {dst} ({dst.stat().st_size // 1024} KB)')
