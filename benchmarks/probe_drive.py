"""Run the fine-tune probe at the bench's scale seed by seed, in one of N parts, into a folder the CLI resumes.

    OMP_NUM_THREADS=1 python benchmarks/probe_drive.py OUT PART N [--references 24] [--seeds 3]

The items are exactly those of
    subattr probe finetune --model toy --out OUT --references 24 --seeds 3 --mode token+blocks
(same keys, same files), which resumes the folder and writes the report. The order differs: seed 0 first, reference by
reference (every selection on reference 0, then on the next), then seed 1, then seed 2, so a run stopped part way
still covers every selection on the same references. Part PART of N takes every N-th reference; start one process per core, each with one thread.
"""
import argparse, sys, time

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('out'); ap.add_argument('part', type=int); ap.add_argument('n', type=int)
    ap.add_argument('--references', type=int, default=24); ap.add_argument('--seeds', type=int, default=3)
    a = ap.parse_args()
    if not 0 <= a.part < a.n: sys.exit(f'PART must be in 0..{a.n - 1}; got {a.part}.')
    from subattr.probe import finetune_probe, probe_references, _load
    pipe = _load('toy'); pipe.set_progress_bar_config(disable=True)
    refs = probe_references(a.references)[a.part::a.n]
    for s in range(a.seeds):   # the CLI's defaults otherwise (selections, 150 steps, lr 5e-4, 2 prompts, 2 images)
        for i, r in enumerate(refs):   # every selection on one reference, then the next
            print(f'{time.strftime("%H:%M:%S")} seed {s}, reference {i + 1} of {len(refs)} in part {a.part}',
                  file=sys.stderr, flush=True)
            finetune_probe('toy', a.out, modes=('token+blocks',), references=[r], seeds=(s,), pipe=pipe,
                           progress=False)

if __name__ == '__main__': main()
