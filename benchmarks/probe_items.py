"""Per-item overhead of a probe sweep: a pipeline loaded for every item (how the fine-tune probe worked before) against
one loaded pipeline that each item trains in place and `restored` puts back (how it works now).

Usage:  python benchmarks/probe_items.py [--model sd15-random] [--width 0.125] [--items 10] [--threads 1]

Each item is the fine-tune probe's training call with one optimiser step on the same reference and selection, so
what differs between the two columns is the per-item overhead (loading, or restoring), not training. Printed per
item: seconds and the process's resident memory after the item (MB). A flat column is what the sweep needs.
"""
import argparse, resource, tempfile, time
from pathlib import Path

def rss_mb():
    "Current resident set size of this process, from /proc (Linux)."
    for line in Path('/proc/self/status').read_text().splitlines():
        if line.startswith('VmRSS:'): return int(line.split()[1]) / 1024
    return float('nan')

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--model', default='sd15-random'); ap.add_argument('--width', type=float, default=1/8)
    ap.add_argument('--items', type=int, default=10); ap.add_argument('--threads', type=int, default=1); ap.add_argument('--resolution', type=int, default=256)
    a = ap.parse_args()
    import torch; torch.set_num_threads(a.threads)
    from subattr.models import load_pipeline
    from subattr.train import train
    from subattr.shapesworld import Thing, render
    ref = render(Thing('square', 'red', 'striped'))
    kw = dict(attribute='shape', mode='blocks', select='up_blocks.1', steps=1, resolution=a.resolution, progress=False,
              checkpoint_every=10**6, width=a.width, flip=False, crops=0)
    rows = {'before: load per item': [], 'after: one pipeline, restored': []}
    with tempfile.TemporaryDirectory() as d:
        for i in range(a.items):
            t = time.perf_counter(); train(a.model, ref, Path(d)/f'b{i}', **kw)
            rows['before: load per item'].append((time.perf_counter() - t, rss_mb()))
        t = time.perf_counter(); pipe = load_pipeline(a.model, width=a.width, progress=False); load_s = time.perf_counter() - t
        for i in range(a.items):
            t = time.perf_counter(); train(pipe, ref, Path(d)/f'a{i}', **kw)
            rows['after: one pipeline, restored'].append((time.perf_counter() - t, rss_mb()))
    print(f'model {a.model} at width {a.width}, {a.resolution} px, 1 step per item, {a.threads} thread(s); the shared pipeline loaded once in {load_s:.2f} s')
    print(f"{'item':>4}  " + '  '.join(f'{k:>34}' for k in rows))
    for i in range(a.items):
        print(f'{i+1:>4}  ' + '  '.join(f'{rows[k][i][0]:>20.2f} s {rows[k][i][1]:>8.0f} MB' for k in rows))
    for k, v in rows.items():
        s = [x[0] for x in v]
        print(f'{k}: mean {sum(s)/len(s):.2f} s/item, items 2-{a.items} from {min(s[1:]):.2f} to {max(s[1:]):.2f} s; memory {v[0][1]:.0f} -> {v[-1][1]:.0f} MB')

if __name__ == '__main__': main()
