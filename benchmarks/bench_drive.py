"""Run `subattr bench` work items seed by seed, in one of N parts, into a bench folder the CLI resumes.

    OMP_NUM_THREADS=1 python benchmarks/bench_drive.py OUT PART N [--spec headline|seedfull] [--methods a,b] [--tasks t,u]
                                                         [--seeds 3] [--refs 8]

The items are exactly the CLI's (same keys, same files: `subattr bench --model toy --out OUT ...` with the same
methods and tasks resumes them and writes the report). Two things differ from `accelerate launch subattr bench`:
- the order: seed 0 first, reference by reference (every method and task on reference 0, then on reference 1, ...),
  then seed 1, then seed 2, so a run stopped part way still covers every method on the same references (a paired
  comparison);
- the split: part PART of N takes every N-th item of that order; start one process per core, each with one thread.

Specs (the commands whose items they are):
- headline: the nine #12 methods on shape and appearance, then subattr-best on shape (8 references per novel
  attribute, 2 prompts, 2 images, 3 seeds, 200 steps); 672 items.
- seedfull: #13's methods (seed-full, its five ablations, seed-full+noise, subattr+watch) on shape and appearance,
  same scale; 576 items.
"""
import argparse, sys
from pathlib import Path

HEADLINE = [(('textual-inversion', 'dreambooth', 'dreambooth-lora', 'pplus', 'prospect', 'custom-diffusion',
              'blora-analogue', 'seed-split', 'subattr'), ('shape', 'appearance')),
            (('subattr-best',), ('shape',))]
SEEDFULL = [(('seed-full', 'seed-full-token', 'seed-full-append', 'seed-full-nofilter', 'seed-full-norouting',
              'seed-full-noft', 'seed-full+noise', 'subattr+watch'), ('shape', 'appearance'))]

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('out'); ap.add_argument('part', type=int); ap.add_argument('n', type=int)
    ap.add_argument('--spec', default='headline', choices=('headline', 'seedfull'))
    ap.add_argument('--methods', help='comma-separated methods instead of the spec (with --tasks)')
    ap.add_argument('--tasks', default='shape,appearance')
    ap.add_argument('--seeds', type=int, default=3)
    ap.add_argument('--refs', type=int, default=8,
                    help='references per novel attribute (an item keeps its key: --refs 16 reuses the first 8)')
    a = ap.parse_args()
    if not 0 <= a.part < a.n: sys.exit(f'PART must be in 0..{a.n - 1}; got {a.part}.')
    from subattr import bench as B
    from subattr.models import load_pipeline
    from subattr.sweep import run_items
    spec = ([(tuple(a.methods.split(',')), tuple(a.tasks.split(',')))] if a.methods
            else HEADLINE if a.spec == 'headline' else SEEDFULL)
    n = dict(refs=a.refs, seeds=a.seeds, prompts=2, samples=2, steps=200, sample_steps=20)
    items = [it for ms, ts in spec for it in B.bench_items(ms, ts, guidance=4., ref_seed=0, model='toy', **n)]
    items.sort(key=lambda it: (it['seed'], it['ref']))   # stable: within a seed and reference, the CLI's order
    pipe = load_pipeline('toy', progress=False)
    B.check_prompts(pipe, items)
    pipe.set_progress_bar_config(disable=True)
    mine = items[a.part::a.n]
    print(f'{len(items)} items in all, {len(mine)} in part {a.part} of {a.n}', file=sys.stderr, flush=True)
    run_items(mine, lambda it: B.bench_item(it, pipe, Path(a.out)/'images'), a.out, 'bench')

if __name__ == '__main__': main()
