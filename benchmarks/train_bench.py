"""Training-loop benchmark: steps/s, peak resident memory and FLOPs per step for each mode.

Usage:  python benchmarks/train_bench.py [--steps 60] [--threads 2]

- On `toy` (CPU, or CUDA when available): each mode runs in its own process (so peak memory is that mode's own),
  timed from step 10 to the last step with `train(callback=...)`; FLOPs per step are counted by
  torch.utils.flop_counter over whole `train` runs of 1 and 3 steps (the difference / 2, so setup is excluded).
- The floor for SD 1.5 at 512 px: the same step's FLOPs counted on the meta device (no weights, no time), for each mode:
  a token's gradient must flow back through the whole UNet; blocks alone only through the blocks after the first
  tuned one. Divided by a GPU's peak bf16 rate this is the least time a step can take.
- On a GPU, `sd15-random` at 512 px in bf16 is timed too (`--gpu`); not run here when no GPU is present.
"""
import argparse, json, os, resource, subprocess, sys, tempfile, time
from pathlib import Path

MODES = {'token': dict(mode='token'), 'blocks': dict(mode='blocks'), 'blocks-lora4': dict(mode='blocks', lora_rank=4),
         'token+blocks': dict(mode='token+blocks'), 'token+blocks-lora4': dict(mode='token+blocks', lora_rank=4)}

def child(mode, steps, model, mp):
    import numpy as np, torch
    from subattr.train import train
    from subattr.shapesworld import Thing, render
    ref = render(Thing('square', 'red', 'striped'))
    stamps = []
    kw = dict(attribute='appearance', progress=False, checkpoint_every=10**6, mixed_precision=mp, **MODES[mode])
    with tempfile.TemporaryDirectory() as d:
        train(model, ref, Path(d)/'run', steps=steps, callback=lambda s, l, st: stamps.append(time.perf_counter()), **kw)
        flops = []
        from torch.utils.flop_counter import FlopCounterMode
        for n in (1, 3):
            with FlopCounterMode(display=False) as fc: train(model, ref, Path(d)/f'f{n}', steps=n, **kw)
            flops.append(fc.get_total_flops())
    sps = (len(stamps) - 10) / (stamps[-1] - stamps[9])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # MiB (Linux reports KiB)
    if torch.cuda.is_available(): peak = torch.cuda.max_memory_allocated() / 2**20
    print(json.dumps(dict(mode=mode, steps_per_s=sps, peak_mib=peak, flops_per_step=(flops[1] - flops[0]) / 2)))

def sd15_floor():
    "FLOPs of one training step (batch 1, 512 px) of SD 1.5 per mode, counted on the meta device."
    import torch
    from torch.utils.flop_counter import FlopCounterMode
    from subattr.models import load_unet
    from subattr.blocks import BlockMap
    unet = load_unet('sd15-random'); bm = BlockMap(unet); res = {}
    for mode in ('token', 'blocks (seed-appearance)', 'blocks (seed-shape)'):
        for p in unet.parameters(): p.requires_grad_(False)
        if mode != 'token':
            sel = bm.select(mode.split('(')[1][:-1])
            for n, p in unet.named_parameters(): p.requires_grad_(n in sel.params)
        with torch.device('meta'):
            x, t = torch.randn(1, 4, 64, 64), torch.tensor([500])
            c = torch.randn(1, 77, 768, requires_grad=mode == 'token')
        with FlopCounterMode(display=False) as fc:
            unet(x, t, c).sample.float().pow(2).mean().backward()
        res[mode] = fc.get_total_flops()
    return res

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--steps', type=int, default=60); ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--child'); ap.add_argument('--model', default='toy'); ap.add_argument('--mp', default='no')
    ap.add_argument('--gpu', action='store_true', help='also time sd15-random at 512 px in bf16 (needs CUDA)')
    a = ap.parse_args()
    import torch; torch.set_num_threads(a.threads)
    if a.child: child(a.child, a.steps, a.model, a.mp); sys.exit()
    dev = torch.cuda.get_device_name() if torch.cuda.is_available() else f'CPU, {a.threads} threads ({os.cpu_count()} cores)'
    runs = [('toy', 'no')] + ([('sd15-random', 'bf16')] if a.gpu and torch.cuda.is_available() else [])
    for model, mp in runs:
        print(f'\n{model} ({dev}, mixed precision {mp}), {a.steps} steps per mode')
        print(f"{'mode':<22}{'steps/s':>9}{'peak MiB':>10}{'GFLOP/step':>12}{'GFLOP/s':>9}")
        for m in MODES:
            out = subprocess.run([sys.executable, __file__, '--child', m, '--steps', str(a.steps), '--threads', str(a.threads),
                                  '--model', model, '--mp', mp], capture_output=True, text=True)
            if out.returncode: print(m, 'failed:', out.stderr.strip().splitlines()[-1]); continue
            r = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"{m:<22}{r['steps_per_s']:>9.2f}{r['peak_mib']:>10.0f}{r['flops_per_step']/1e9:>12.3f}{r['flops_per_step']/1e9*r['steps_per_s']:>9.1f}")
    print('\nSD 1.5 at 512 px, one training step (batch 1), FLOPs counted on the meta device:')
    for k, f in sd15_floor().items():
        print(f'{k:<26}{f/1e12:>7.2f} TFLOP   time floor on an H100 (989 TFLOP/s dense bf16): {f/989e12*1e3:.2f} ms/step')
