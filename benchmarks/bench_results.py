"""Gather a `subattr bench` folder's finished items (all, or as many as are done) into one small gzipped JSON,
the file notebook 16 reads, or put a gathered file's items back into a folder so a run resumes from it:

    python benchmarks/bench_results.py BENCH_DIR OUT.json.gz 'THE COMMAND THAT RAN IT'
    python benchmarks/bench_results.py --probe PROBE PROBE_DIR OUT.json.gz 'THE COMMAND THAT RAN IT'
    python benchmarks/bench_results.py --unpack RESULTS.json.gz DIR

`--probe` gathers one probe's items instead (finetune, inject, layers, timesteps or linear: items/PROBE-<key>.json),
the files notebook 14a reads; their rows keep the probe's name. Unpacking writes items/<probe>-<key>.json for
every item the file holds (a bench's rows carry no name: `bench`) and leaves item files already there alone; the
image strips (images/) are not in the gathered file, so only items run again have them. Rows come back in the
gathered file's order (a bench's: by method, task, reference, seed, prompt, image); no summary depends on the
order within an item."""
import gzip, json, sys
from collections import defaultdict
from pathlib import Path
from subattr.sweep import _read_item, _write_json_atomic   # the bench's own reader and writer

def gather(src:Path, dst:Path, command:str, probe:str='bench'):
    items = [r for f in sorted((src/'items').glob(f'{probe}-*.json')) if (r := _read_item(f)) is not None]
    if not items: sys.exit(f"'{src}' holds no finished {probe} items (items/{probe}-*.json).")
    rows = [r for item in items for r in item]
    head = dict(command=command, items=len(items))
    if probe == 'bench':   # notebook 16's file: one kind of row, in the order of its tables
        for r in rows: r.pop('probe', None)
        rows.sort(key=lambda r: (r['method'], r['task'], r['ref'], r['seed'], r['prompt'], r['image']))
    else: head['probe'] = probe
    tmp = dst.with_name(dst.name + '.tmp')
    with gzip.open(tmp, 'wt') as f: json.dump(dict(head, rows=rows), f)
    tmp.replace(dst)
    print(f"{len(items)} {probe} items, {len(rows)} {'images' if probe == 'bench' else 'rows'} -> {dst} "
          f"({dst.stat().st_size // 1024} KB)")

def unpack(src:Path, dst:Path):
    if not src.is_file(): sys.exit(f"'{src}' is not a file.")
    try:
        with gzip.open(src, 'rt') as f: rows = json.load(f)['rows']
    except (OSError, ValueError, KeyError, TypeError): sys.exit(f"'{src}' is not a gathered bench file (gzipped JSON with rows).")
    by = defaultdict(list)   # a probe's gathered rows keep their probe's name
    for r in rows: by[(r.get('probe', 'bench'), r['item'])].append({'probe': 'bench'} | r)
    d = dst/'items'; d.mkdir(parents=True, exist_ok=True); new = 0
    for (probe, k), rs in by.items():
        f = d/f'{probe}-{k}.json'
        if _read_item(f) is not None: continue
        _write_json_atomic(f, dict(item=None, rows=rs, process=None, unpacked_from=src.name)); new += 1
    print(f'{len(by)} items in {src}; {new} written to {d}, {len(by) - new} were there already')

if __name__ == '__main__':
    a = sys.argv[1:]
    if a and a[0] == '--unpack' and len(a) == 3: unpack(Path(a[1]), Path(a[2]))
    elif a and a[0] == '--probe' and len(a) == 5: gather(Path(a[2]), Path(a[3]), a[4], probe=a[1])
    elif len(a) == 3 and not a[0].startswith('-'): gather(Path(a[0]), Path(a[1]), a[2])
    else: sys.exit(__doc__)
