"""Does `torch.compile` (or channels_last) speed up subattr's training step? A trial on the UNet alone.

Usage:  OMP_NUM_THREADS=1 python benchmarks/compile_trial.py [--model sd15-random] [--width 0.5] [--res 256] [--steps 6]

One training step of the UNet as `subattr.train` runs it (noised latent in, MSE on the noise, backward into LoRA r4
adapters on every attention projection, AdamW), timed eagerly, with `torch.compile(unet)` (inductor, default mode),
and with channels_last memory format. Prints seconds per step over steps 2..N (compilation happens in step 1 and is
reported separately) and the ratios to eager.
"""
import argparse, time

def run(variant, model, width, res, steps):
    import torch
    from peft import LoraConfig
    from subattr.models import load_pipeline
    torch.manual_seed(0)
    pipe = load_pipeline(model, width=width, progress=False)
    unet = pipe.unet.requires_grad_(False)
    unet.add_adapter(LoraConfig(r=4, lora_alpha=4, target_modules=['to_q', 'to_k', 'to_v', 'to_out.0'], init_lora_weights='gaussian'))
    params = [p for n, p in unet.named_parameters() if 'lora_' in n]
    for p in params: p.requires_grad_(True)
    opt = torch.optim.AdamW(params, lr=1e-4)
    if variant == 'channels_last': unet = unet.to(memory_format=torch.channels_last)
    fwd = torch.compile(unet) if variant == 'compile' else unet
    lat = res // 8
    g = torch.Generator().manual_seed(0)
    z = torch.randn(1, 4, lat, lat, generator=g); e = torch.randn(1, 77, unet.config.cross_attention_dim, generator=g)
    if variant == 'channels_last': z = z.to(memory_format=torch.channels_last)
    stamps = [time.perf_counter()]
    for _ in range(steps):
        noise = torch.randn(z.shape, generator=g); t = torch.randint(0, 1000, (1,), generator=g)
        loss = (fwd(z + noise, t, encoder_hidden_states=e).sample - noise).pow(2).mean()
        loss.backward(); opt.step(); opt.zero_grad(set_to_none=True)
        stamps.append(time.perf_counter())
    first, rest = stamps[1] - stamps[0], (stamps[-1] - stamps[1]) / (steps - 1)
    return first, rest

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('--model', default='sd15-random'); ap.add_argument('--width', type=float, default=0.5)
    ap.add_argument('--res', type=int, default=256); ap.add_argument('--steps', type=int, default=6)
    ap.add_argument('--variants', default='eager,channels_last,compile')
    a = ap.parse_args()
    import torch
    print(f'{a.model} width {a.width}, {a.res} px, LoRA r4 on attention, batch 1, {torch.get_num_threads()} thread(s), torch {torch.__version__}')
    res = {}
    for v in a.variants.split(','):
        res[v] = run(v, a.model, a.width, a.res, a.steps)
        print(f'{v:<14} step 1 {res[v][0]:7.2f} s   steps 2..{a.steps}: {res[v][1]:.3f} s/step   '
              f'ratio to eager {res["eager"][1] / res[v][1] if "eager" in res else float("nan"):.2f}×', flush=True)
