"""Cost of recording every cross-attention map in subattr's default mode (running mean over steps, heads averaged).

Prints, for `toy` on the CPU (with `--cpu-model sd15-random --size 256`, that model; and `sd15-random` at 512 px in
bf16 when CUDA is available): the median time of a sampling call with and without recording (interleaved), their
ratio, resident memory and the store's size.
Run: OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 python benchmarks/attention_bench.py [--reps 15] [--steps 25]
     OMP_NUM_THREADS=1 python benchmarks/attention_bench.py --cpu-model sd15-random --size 256 --steps 10 --reps 3
"""
import argparse, json, os, resource, statistics, time
import torch
from subattr.models import load_pipeline
from subattr.attention import AttentionStore, running_mean_bytes

def rss_mib():
    "Current resident set size of this process, MiB (Linux)."
    with open('/proc/self/statm') as f: return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE') / 2**20

def bench(pipe, prompt, steps, reps, size=None, device='cpu'):
    kw = dict(num_inference_steps=steps, guidance_scale=4., output_type='latent')
    if size: kw.update(height=size, width=size)
    sync = torch.cuda.synchronize if device == 'cuda' else (lambda: None)
    def once(record):
        g = torch.Generator(device).manual_seed(0)
        sync(); t = time.perf_counter()
        if record:
            with AttentionStore(pipe) as s: pipe(prompt, generator=g, **kw)
        else: s = None; pipe(prompt, generator=g, **kw)
        sync(); return time.perf_counter() - t, s
    once(False); once(True)   # warm-up
    plain, rec, peak = [], [], {False: 0., True: 0.}
    rss0 = rss_mib()
    for _ in range(reps):   # interleaved, so drifts in machine speed hit both alike
        for record in (False, True):
            if device == 'cuda': torch.cuda.reset_peak_memory_stats()
            t, st = once(record)
            (rec if record else plain).append(t)
            if record: s = st
            if device == 'cuda': peak[record] = max(peak[record], torch.cuda.max_memory_allocated() / 2**20)
    gpu_plain, gpu_rec = peak[False], peak[True]
    p, r = statistics.median(plain), statistics.median(rec)
    res = dict(plain_s=round(p, 4), recorded_s=round(r, 4), ratio=round(r / p, 3), steps=steps, reps=reps,
               rss_before_mib=round(rss0, 1), rss_after_mib=round(rss_mib(), 1), peak_rss_mib=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
               store_mib=round(s.nbytes / 2**20, 3), layers=len(s.layers))
    if device == 'cuda': res.update(gpu_peak_plain_mib=round(gpu_plain, 1), gpu_peak_recorded_mib=round(gpu_rec, 1))
    return res

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('--reps', type=int, default=15); ap.add_argument('--steps', type=int, default=25)
    ap.add_argument('--skip-cpu', action='store_true')
    ap.add_argument('--cpu-model', default='toy', help="the model timed on the CPU (e.g. 'sd15-random')")
    ap.add_argument('--size', type=int, default=None, help='image side on the CPU (default: the model\'s)')
    a = ap.parse_args()
    out = {'threads': torch.get_num_threads()}
    if not a.skip_cpu:
        pipe = load_pipeline(a.cpu_model, progress=False)
        out[f'{a.cpu_model}_cpu' + (f'_{a.size}px' if a.size else '')] = bench(pipe, 'a red striped circle', a.steps, a.reps, size=a.size)
    out['sd15_512_store_mib_exact'] = round(running_mean_bytes(load_pipeline('sd15-random', device='meta').unet) / 2**20, 3)
    if torch.cuda.is_available():
        pipe = load_pipeline('sd15-random', device='cuda', dtype=torch.bfloat16, progress=False)
        out['sd15_random_512_cuda_bf16'] = bench(pipe, 'a photo of a red cat', a.steps, max(5, a.reps // 3), size=512, device='cuda')
        out['device'] = torch.cuda.get_device_name()
    print(json.dumps(out, indent=1))
