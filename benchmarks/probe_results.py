"""Gather a probe folder's finished items of one probe (all, or as many as are done) into one small gzipped JSON, the
file notebook 14a reads:  python benchmarks/probe_results.py PROBE_DIR PROBE OUT.json.gz 'THE COMMAND THAT RAN IT'
PROBE is the probe's name: finetune, inject, layers, timesteps or linear (its items are items/PROBE-<key>.json)."""
import gzip, json, sys
from pathlib import Path
from subattr.sweep import _read_item   # the sweeps' own reader: a damaged item file counts as not finished

if len(sys.argv) != 5: sys.exit(__doc__)
src, probe, dst, command = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), sys.argv[4]
items = [r for f in sorted((src/'items').glob(f'{probe}-*.json')) if (r := _read_item(f)) is not None]
if not items: sys.exit(f"'{src}' holds no finished {probe} items (items/{probe}-*.json).")
rows = [r for item in items for r in item]
tmp = dst.with_name(dst.name + '.tmp')
with gzip.open(tmp, 'wt') as f: json.dump(dict(command=command, probe=probe, items=len(items), rows=rows), f)
tmp.replace(dst)
print(f'{len(items)} {probe} items, {len(rows)} rows -> {dst} ({dst.stat().st_size // 1024} KB)')
