"""subattr's training loop against diffusers' own training examples: steps/s (loading excluded) and peak memory.

Usage (a diffusers checkout's `examples/` folder, of a release the installed diffusers satisfies, see below):

    OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 python benchmarks/vs_diffusers.py --examples /path/to/diffusers/examples \
        [--steps 6] [--warmup 2] [--rounds 2] [--recipes token,lora-attn,lora-up] [--json results.json] [--gpu]

    e.g. examples of the v0.40.0 tag:  git --git-dir=DIFFUSERS.git archive v0.40.0 examples | tar -x -C /tmp/diffusers_examples
    CPU default (sd15-random, full width, 256 px, fp32, 6 steps, 2 rounds): about 7.5 minutes on 2 cores, 1 thread a run.
    --gpu: 30 steps a run (5 warm-up) of sd15-random at 512 px and sdxl-random at 1024 px, bf16.
    Smoke test of the SDXL scripts on a CPU: --width 0.125 --models sdxl --res 256 --mixed-precision no --steps 4.

What runs. One model folder (a subattr random-weight pipeline, `load_pipeline(...).save_pretrained(DIR)`), one reference
image (a ShapesWorld square, saved square at the training resolution so no tool has to crop or resize), batch 1, the
same number of optimiser steps and the same precision go to both sides of each recipe:

  recipe      diffusers script (SD 1.5 / SDXL)                           subattr (what `subattr train` runs)
  token       textual_inversion/textual_inversion{,_sdxl}.py              --mode token (one vector, lr 5e-3 both)
  lora-attn   dreambooth/train_dreambooth_lora{,_sdxl}.py (rank 4 on      --mode blocks --lora-rank 4 --lora-targets
              to_k, to_q, to_v, to_out.0 of every attention, its default)  to_q,to_k,to_v,to_out.0 --select
                                                                           down_block,mid_block,up_block (lr 1e-4 both)
  lora-up     skipped: the diffusers script has no option restricting its LoRA to some blocks (its target list is
              fixed in the code), so there is no diffusers run to compare `--select up_block` with.

Every other option stays at each tool's default (diffusers: constant schedule, AdamW with weight decay 1e-2, VAE encode
of the image and, in train_dreambooth_lora.py, the text encoder run at every step; subattr: the image's views encoded
once before step 1 (attribute 'appearance': the image, 4 random crops and their mirrors, 10 views), the frozen prompt
encoded once in blocks mode). Checkpointing is pushed past the last step on both sides.
`subattr train` is run through its Python API (`subattr.train.train`, the function the CLI calls with the same
`TrainConfig` fields) because the CLI has no `--resolution` option and the API takes a per-step callback.

Runs are interleaved A/B, each in its own process (so peak memory is per run): in round r each recipe runs diffusers
then subattr, the order reversed in every other round so that a drift in machine speed hits both sides alike.

What is measured, and how (the same method on both sides):
- steps/s, loading excluded: a timestamp (`time.perf_counter`, after `torch.cuda.synchronize()` on a GPU) right
  after each optimiser step. subattr: its `callback(step, loss, state)`, called after the optimiser and LR scheduler
  step. diffusers: the scripts cannot be edited, so each runs unmodified in a small wrapper process
  (`runpy.run_path(script, run_name='__main__')`) that first swaps `tqdm.auto.tqdm` for a subclass whose `update()`
  stamps the time; the scripts call `progress_bar.update(1)` (their "Steps" bar) once per optimiser step, right after
  `optimizer.step(); lr_scheduler.step(); optimizer.zero_grad()`, i.e. at the same point of the loop as subattr's
  callback. steps/s = (N - W) / (t_N - t_W) over the stamps of steps W..N (W = --warmup steps dropped: first-call
  allocations and lazy initialisation). Loading, image/text preprocessing, the final save and diffusers' post-training
  pipeline reload all fall outside that window. Why not N-vs-2N wall-time differences: loading a full-width model
  varies by seconds between processes, as much as several CPU steps, so the difference is noisier than the stamps;
  why not parsing tqdm's printed output: tqdm prints at most every 0.1 s and shows a smoothed rate.
- peak memory, recorded at the stamp of the last step (so the post-training save/reload is excluded, loading is
  included on both sides): on the CPU the process's peak resident set size (`ru_maxrss`), on a GPU
  `torch.cuda.max_memory_allocated()` (the peak RSS is kept in the JSON too).
- ratios subattr/diffusers of the medians over rounds: steps/s ratio > 1 means subattr is faster, peak ratio < 1
  means subattr needs less memory.

Model folders. On the CPU `sd15-random` at full width, 256 px, fp32 (`--mixed-precision no`), a few steps per run;
with `--gpu`, `sd15-random` at 512 px and `sdxl-random` at 1024 px, both bf16 (diffusers casts the frozen weights to
bf16; subattr keeps fp32 weights under torch autocast: that difference is part of what is measured). The random
pipelines ship a small tokenizer (about a thousand tokens); the benchmark pads each tokenizer's vocabulary with
unreachable filler entries up to its text encoder's real vocabulary size (49408, with <|startoftext|> and
<|endoftext|> at the top ids as in CLIP), so that both tools keep the real-size token-embedding table after adding the
placeholder token (textual_inversion.py optimises the whole table and restores the other rows after every step; at
~1000 rows that cost would vanish). Models are built once and kept under --work.

Stand-ins. diffusers' example scripts import torchvision (only a few `transforms`), which this project does not
install: when torchvision is missing, `benchmarks/vs_diffusers_shims/` (a minimal PIL/torch stand-in written for this
benchmark, see its README) is put on `sys.path` in the diffusers runs only, after transformers and diffusers have
recorded (and cached) that torchvision is absent, so that the libraries keep the code paths they take here and only
the script's own `from torchvision import transforms` gets the stand-in. The JSON records whether it was used.

diffusers versions. The scripts call `check_min_version(...)`; the examples must come from a release not newer than
the installed diffusers (a main-branch checkout asks for a `.dev0` version). The benchmark reads that requirement
first and stops with a clear message if it is not met. Checked with the examples of the v0.40.0 tag
(`git archive v0.40.0 examples`) against diffusers 0.42.1.

Output: a table on stdout (per configuration: for each recipe diffusers and subattr steps/s, s/step and peak MiB, and
the ratios), the per-run logs under --work/logs, and a JSON (--json) with every run's stamps, steps/s, peaks,
thread count and command.
"""
import time
_T0 = time.perf_counter()   # a child's start, for its time to the first step (loading and setup)
import argparse, json, os, re, resource, shutil, statistics, subprocess, sys, tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHIMS = HERE/'vs_diffusers_shims'
WHOLE_UNET = 'down_block,mid_block,up_block'
ATTN = 'to_q,to_k,to_v,to_out.0'

MODELS = {'sd15': dict(model='sd15-random', token='textual_inversion/textual_inversion.py', lora='dreambooth/train_dreambooth_lora.py'),
          'sdxl': dict(model='sdxl-random', token='textual_inversion/textual_inversion_sdxl.py',
                       lora='dreambooth/train_dreambooth_lora_sdxl.py')}
DEFAULTS = {'cpu': [('sd15', 256, 'no')], 'gpu': [('sd15', 512, 'bf16'), ('sdxl', 1024, 'bf16')]}   # (model, px, precision)

RECIPES = {
    'token': dict(script='token', subattr=dict(mode='token', lr_token=5e-3),
                  diffusers=['--placeholder_token', '<a>', '--initializer_token', 'appearance', '--learnable_property', 'object',
                             '--learning_rate', '5e-3', '--save_steps', '1000000']),
    'lora-attn': dict(script='lora', subattr=dict(mode='blocks', select=WHOLE_UNET, lora_rank=4, lora_targets=ATTN, lr_blocks=1e-4),
                      diffusers=['--instance_prompt', 'a sks', '--rank', '4', '--learning_rate', '1e-4']),
    'lora-up': dict(script=None, subattr=dict(mode='blocks', select='up_block', lora_rank=4, lora_targets=ATTN, lr_blocks=1e-4),
                    skip='the diffusers script cannot restrict its LoRA to some blocks (target_modules is fixed in the code '
                         'to every to_k/to_q/to_v/to_out.0), so there is no diffusers run to compare with'),
}

# ----------------------------------------------------------------------------------------------------------------
# child processes: one training run each, writing {stamps: [[step, t, peak_mib, peak_rss_mib], ...], ...} to a JSON

def _peaks():
    "(peak MiB to report, peak RSS MiB): CUDA peak allocated on a GPU, else the peak RSS."
    import torch
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # Linux reports KiB
    if torch.cuda.is_available(): torch.cuda.synchronize(); return torch.cuda.max_memory_allocated() / 2**20, rss
    return rss, rss

def _stamp(stamps, step, total, result, info):
    import torch
    if torch.cuda.is_available(): torch.cuda.synchronize()
    t = time.perf_counter(); peak, rss = _peaks()
    stamps.append([int(step), t, peak, rss])
    if step >= total:   # the last step: write now, so nothing after training (save, reload) can touch the numbers
        Path(result).write_text(json.dumps(dict(info, stamps=stamps, first_step_s=stamps[0][1] - _T0, threads=torch.get_num_threads(),
                                                cuda=torch.cuda.is_available())))

def child_diffusers(spec:dict):
    "Run a diffusers example unmodified; its 'Steps' progress bar's update() stamps each optimiser step."
    import runpy, torch
    torch.set_num_threads(spec['threads'])
    import tqdm.auto
    stamps, total = [], spec['steps']
    base = tqdm.auto.tqdm
    class StampedTqdm(base):
        def update(self, n=1):
            r = super().update(n)
            if getattr(self, 'desc', '').startswith('Steps'): _stamp(stamps, self.n, total, spec['result'], dict(side='diffusers'))
            return r
    tqdm.auto.tqdm = StampedTqdm
    if spec.get('shim'):   # torchvision stand-in: for the script's own imports only; transformers and diffusers first record
        from transformers.utils import import_utils as tu   # (and cache) that torchvision is absent, so they keep the code
        import diffusers.utils.import_utils                  # paths they take in this environment
        tu.is_torchvision_available()
        sys.path.insert(0, spec['shim'])
    script = spec['script']
    sys.argv = [script] + spec['argv']; sys.path.insert(0, str(Path(script).parent))
    runpy.run_path(script, run_name='__main__')

def child_subattr(spec:dict):
    "Run subattr's training loop (what `subattr train` calls) with a callback stamping each optimiser step."
    import torch
    torch.set_num_threads(spec['threads'])
    from subattr.train import train
    stamps, total = [], spec['steps']
    train(spec['model'], spec['image'], spec['out'], progress=True, steps=total, resolution=spec['res'],
          mixed_precision=spec['mp'], checkpoint_every=10**6, attribute='appearance', seed=0,
          callback=lambda step, loss, state: _stamp(stamps, step, total, spec['result'], dict(side='subattr')), **spec['kw'])

# ----------------------------------------------------------------------------------------------------------------
# fixtures: the model folder and the reference image

def padded_tokenizer(n:int):
    "subattr's small CLIP tokenizer with filler entries (never produced by BPE) up to `n` ids, specials at the top as in CLIP."
    from subattr.models import build_clip_vocab, load_clip_tokenizer
    vocab, merges = build_clip_vocab()
    specials = ['<|startoftext|>', '<|endoftext|>']
    base = [t for t, _ in sorted(vocab.items(), key=lambda kv: kv[1]) if t not in specials]
    tokens = base + [f'<|bench-filler-{i}|>' for i in range(n - len(base) - 2)] + specials
    with tempfile.TemporaryDirectory() as d:
        (Path(d)/'vocab.json').write_text(json.dumps({t: i for i, t in enumerate(tokens)}, ensure_ascii=False))
        (Path(d)/'merges.txt').write_text('#version: 0.2\n' + ''.join(f'{a} {b}\n' for a, b in merges))
        return load_clip_tokenizer(d)

def child_build(spec:dict):
    "A random-weight pipeline saved as a diffusers folder, tokenizers padded to the real vocabulary size."
    import torch
    from subattr.models import load_pipeline
    torch.set_num_threads(spec['threads'])
    model, width, folder = spec['model'], spec['width'], Path(spec['folder'])
    pipe = load_pipeline(model, width=width, progress=False)
    for tk, te in (('tokenizer', 'text_encoder'), ('tokenizer_2', 'text_encoder_2')):
        if getattr(pipe, tk, None) is not None: setattr(pipe, tk, padded_tokenizer(getattr(pipe, te).config.vocab_size))
    if folder.exists(): shutil.rmtree(folder)
    pipe.save_pretrained(folder, safe_serialization=True)
    (folder/'.complete').write_text('ok\n')

def build_image(res:int, folder:Path)->Path:
    "A ShapesWorld red striped square, square and already at the training resolution, alone in `folder`."
    from PIL import Image
    from subattr.shapesworld import Thing, render
    folder.mkdir(parents=True, exist_ok=True)
    f = folder/'ref.png'
    if not f.exists(): Image.fromarray(render(Thing('square', 'red', 'striped'))).resize((res, res), Image.LANCZOS).save(f)
    return f

# ----------------------------------------------------------------------------------------------------------------
# the parent

def min_version(script:Path):
    m = re.search(r'check_min_version\("([^"]+)"\)', script.read_text())
    return m.group(1) if m else None

def check_examples(examples:Path, configs:list):
    "Every script present, and each one's check_min_version satisfied by the installed diffusers."
    import diffusers
    from packaging.version import Version
    have = Version(diffusers.__version__); needs = {}
    for c in configs:
        for k in ('token', 'lora'):
            s = examples/c[k]
            if not s.exists(): sys.exit(f"vs_diffusers: '{s}' not found; --examples must be a diffusers checkout's examples/ folder.")
            v = min_version(s); needs[c[k]] = v
            if v and Version(v) > have:
                sys.exit(f"vs_diffusers: {c[k]} needs diffusers >= {v} (check_min_version) but {have} is installed; use the examples "
                         f"of the release tag matching the installed diffusers, e.g. `git archive v{have.base_version} examples`.")
    return str(have), needs

def diffusers_argv(cfg, recipe, model, imgdir, out, steps, seed=0):
    key = '--train_data_dir' if RECIPES[recipe]['script'] == 'token' else '--instance_data_dir'
    return ['--pretrained_model_name_or_path', str(model), key, str(imgdir), '--resolution', str(cfg['res']),
            '--train_batch_size', '1', '--max_train_steps', str(steps), '--mixed_precision', cfg['mp'], '--output_dir', str(out),
            '--seed', str(seed), '--checkpointing_steps', '1000000', '--lr_scheduler', 'constant', '--lr_warmup_steps', '0',
            '--dataloader_num_workers', '0'] + RECIPES[recipe]['diffusers']

def run_child(side, spec, log:Path, env, timeout):
    "One run in its own process; returns its result dict (or an error)."
    specf = log.with_suffix('.spec.json'); specf.write_text(json.dumps(spec))
    Path(spec['result']).unlink(missing_ok=True)
    t = time.perf_counter()
    with open(log, 'w') as lf:
        try:
            p = subprocess.run([sys.executable, __file__, '--child', side, '--spec', str(specf)], stdout=lf, stderr=subprocess.STDOUT,
                               env=env, timeout=timeout)
            rc = p.returncode
        except subprocess.TimeoutExpired: rc = 'timeout'
    wall = time.perf_counter() - t
    if not Path(spec['result']).exists():
        tail = log.read_text(errors='replace').strip().splitlines()[-3:]
        return dict(error=f'{side} run failed (exit {rc}): ' + ' | '.join(tail), log=str(log), wall_s=wall)
    r = json.loads(Path(spec['result']).read_text())
    r.update(exit=rc, wall_s=round(wall, 2), log=str(log))
    return r

def rate(r:dict, warmup:int)->float:
    st = {s[0]: s[1] for s in r['stamps']}
    last = max(st)
    return (last - warmup) / (st[last] - st[warmup])

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--examples', help="a diffusers checkout's examples/ folder")
    ap.add_argument('--steps', type=int, default=6, help='optimiser steps per run (default 6 on the CPU, 30 with --gpu)')
    ap.add_argument('--warmup', type=int, default=None, help='first steps left out of the timing (default 2 on the CPU, 5 with --gpu)')
    ap.add_argument('--rounds', type=int, default=2, help='A/B rounds per recipe')
    ap.add_argument('--recipes', default='token,lora-attn,lora-up')
    ap.add_argument('--gpu', action='store_true', help='SD 1.5 at 512 px and SDXL at 1024 px in bf16 on CUDA')
    ap.add_argument('--models', default=None, help="override the models: 'sd15', 'sdxl' or both (e.g. a CPU smoke test of the SDXL scripts)")
    ap.add_argument('--res', type=int, default=None, help='override the resolution of every model')
    ap.add_argument('--mixed-precision', default=None, choices=['no', 'fp16', 'bf16'], help='override the precision')
    ap.add_argument('--width', type=float, default=1.0, help='channel multiplier of the random models (1: the real size)')
    ap.add_argument('--threads', type=int, default=int(os.environ.get('OMP_NUM_THREADS', 1)), help='CPU threads per run')
    ap.add_argument('--work', default=os.path.join(tempfile.gettempdir(), 'subattr_vs_diffusers'), help='models, images, logs')
    ap.add_argument('--json', default=None, help='where to write the results (default: WORK/results.json)')
    ap.add_argument('--timeout', type=int, default=1800, help='seconds per run')
    ap.add_argument('--child'); ap.add_argument('--spec')
    a = ap.parse_args()
    if a.child:
        spec = json.loads(Path(a.spec).read_text())
        {'diffusers': child_diffusers, 'subattr': child_subattr, 'build': child_build}[a.child](spec); return
    if not a.examples: ap.error('--examples is required')
    import torch
    if a.gpu and not torch.cuda.is_available(): sys.exit('vs_diffusers: --gpu needs CUDA, which this machine does not have.')
    steps = a.steps if not a.gpu or a.steps != 6 else 30
    warmup = a.warmup if a.warmup is not None else (5 if a.gpu else 2)
    if warmup < 1 or steps <= warmup + 1: sys.exit('vs_diffusers: --warmup must be at least 1 and --steps at least --warmup + 2.')
    examples, work = Path(a.examples).resolve(), Path(a.work).resolve()
    defaults = DEFAULTS['gpu' if a.gpu else 'cpu']
    if a.models:
        dres = {m: (r, p) for m, r, p in DEFAULTS['gpu'] + DEFAULTS['gpu' if a.gpu else 'cpu']}   # this device's defaults win
        for m in a.models.split(','):
            if m not in MODELS: sys.exit(f"vs_diffusers: unknown model '{m}'; models are {', '.join(MODELS)}.")
        defaults = [(m, *dres[m]) for m in a.models.split(',')]
    configs = []
    for m, res, mp in defaults:
        res, mp = a.res or res, a.mixed_precision or mp
        configs.append(dict(MODELS[m], name=f"{MODELS[m]['model']}-{res}px-{mp}", res=res, mp=mp))
    dver, needs = check_examples(examples, configs)
    recipes = [r.strip() for r in a.recipes.split(',') if r.strip()]
    for r in recipes:
        if r not in RECIPES: sys.exit(f"vs_diffusers: unknown recipe '{r}'; recipes are {', '.join(RECIPES)}.")
    import importlib.util
    shim = importlib.util.find_spec('torchvision') is None
    import subattr
    env = dict(os.environ, OMP_NUM_THREADS=str(a.threads), MKL_NUM_THREADS=str(a.threads), PYTHONUNBUFFERED='1',
               HF_HUB_OFFLINE='1', TRANSFORMERS_OFFLINE='1', TOKENIZERS_PARALLELISM='false')
    dev = torch.cuda.get_device_name() if a.gpu else f'CPU, {a.threads} thread(s) per run ({os.cpu_count()} cores)'
    results = dict(device=dev, diffusers=dver, examples=str(examples), check_min_version=needs, torchvision_stand_in=shim,
                   torch=torch.__version__, subattr=getattr(subattr, '__version__', None), python=sys.version.split()[0],
                   steps=steps, warmup=warmup, rounds=a.rounds, width=a.width, configs=[])
    t_all = time.perf_counter()
    (work/'logs').mkdir(parents=True, exist_ok=True)
    for cfg in configs:
        model = work/'models'/f"{cfg['model']}-w{a.width:g}"
        if not (model/'.complete').exists():   # built in a child process, so that this one stays small while the runs go
            spec = dict(model=cfg['model'], width=a.width, folder=str(model), threads=os.cpu_count() if a.gpu else a.threads)
            specf = work/'logs'/f"build-{model.name}.spec.json"; specf.write_text(json.dumps(spec))
            print(f"building {cfg['model']} (width {a.width:g}) into {model} ...", flush=True)
            subprocess.run([sys.executable, __file__, '--child', 'build', '--spec', str(specf)], env=env, check=True)
        imgdir = build_image(cfg['res'], work/f"image-{cfg['res']}").parent
        cres = dict(cfg, model_folder=str(model), image=str(imgdir/'ref.png'), recipes={})
        for recipe in recipes:
            R = RECIPES[recipe]
            if R['script'] is None: cres['recipes'][recipe] = dict(skipped=R['skip']); continue
            runs = {'diffusers': [], 'subattr': []}
            for rnd in range(a.rounds):
                for side in (('diffusers', 'subattr') if rnd % 2 == 0 else ('subattr', 'diffusers')):
                    tag = f"{cfg['name']}.{recipe}.{side}.r{rnd}"
                    out = work/'runs'/tag
                    if out.exists(): shutil.rmtree(out)
                    spec = dict(threads=a.threads, steps=steps, result=str(work/'logs'/f'{tag}.result.json'))
                    if side == 'diffusers':
                        script = examples/cfg[R['script']]
                        spec.update(script=str(script), argv=diffusers_argv(cfg, recipe, model, imgdir, out, steps), shim=str(SHIMS) if shim else None)
                        cmd = f"python {script} " + ' '.join(spec['argv'])
                    else:
                        spec.update(model=str(model), image=str(imgdir/'ref.png'), out=str(out), res=cfg['res'], mp=cfg['mp'], kw=R['subattr'])
                        cmd = f"subattr.train.train({model}, {imgdir/'ref.png'}, steps={steps}, resolution={cfg['res']}, mixed_precision={cfg['mp']!r}, " \
                              + ', '.join(f'{k}={v!r}' for k, v in R['subattr'].items()) + ')'
                    print(f'  {tag} ...', end=' ', flush=True)
                    r = run_child(side, spec, work/'logs'/f'{tag}.log', env, a.timeout)
                    r['command'] = cmd
                    if 'error' not in r: r['steps_per_s'] = rate(r, warmup); r['peak_mib'] = r['stamps'][-1][2]; r['peak_rss_mib'] = r['stamps'][-1][3]
                    print(r.get('error') or f"{r['steps_per_s']:.3f} steps/s, peak {r['peak_mib']:.0f} MiB, {r['threads']} thread(s), "
                                            f"{r['first_step_s']:.0f} s to step 1, run {r['wall_s']:.0f} s", flush=True)
                    runs[side].append(r)
                    if out.exists(): shutil.rmtree(out, ignore_errors=True)
            summ = {}
            for side, rs in runs.items():
                ok = [r for r in rs if 'error' not in r]
                summ[side] = dict(steps_per_s=statistics.median(r['steps_per_s'] for r in ok) if ok else None,
                                  peak_mib=statistics.median(r['peak_mib'] for r in ok) if ok else None,
                                  all_steps_per_s=[r['steps_per_s'] for r in ok], all_peak_mib=[r['peak_mib'] for r in ok],
                                  first_step_s=statistics.median(r['first_step_s'] for r in ok) if ok else None,
                                  errors=[r['error'] for r in rs if 'error' in r])
            d, s = summ['diffusers'], summ['subattr']
            ratio = lambda k: (s[k] / d[k]) if d[k] and s[k] else None
            cres['recipes'][recipe] = dict(summary=summ, ratio_steps_per_s=ratio('steps_per_s'), ratio_peak=ratio('peak_mib'), runs=runs)
        results['configs'].append(cres)
    results['wall_s'] = round(time.perf_counter() - t_all, 1)
    print_table(results)
    jf = Path(a.json) if a.json else work/'results.json'
    jf.parent.mkdir(parents=True, exist_ok=True); jf.write_text(json.dumps(results, indent=1))
    print(f'\nresults: {jf}   (logs: {work/"logs"}; total wall time {results["wall_s"]:.0f} s)')

def print_table(res:dict):
    mem = 'peak CUDA MiB' if 'CPU' not in res['device'] else 'peak RSS MiB'
    f = lambda v, p=3: '-' if v is None else f'{v:.{p}f}'
    for c in res['configs']:
        print(f"\n{c['name']}: {c['model']} (width {res['width']:g}), {c['res']} px, batch 1, precision {c['mp']}, {res['device']}; "
              f"{res['steps']} steps per run, steps/s over steps {res['warmup']}..{res['steps']}, median of {res['rounds']} interleaved "
              f"A/B rounds; diffusers {res['diffusers']}" + (', torchvision stand-in' if res['torchvision_stand_in'] else ''))
        print(f"{'recipe':<11}{'tool':<19}{'steps/s':>9}{'s/step':>8}{mem:>15}{'s to step 1':>13}")
        for name, r in c['recipes'].items():
            if 'skipped' in r: print(f"{name:<11}skipped: {r['skipped']}"); continue
            for side in ('diffusers', 'subattr'):
                x = r['summary'][side]; sps = x['steps_per_s']
                print(f"{name:<11}{side:<19}{f(sps):>9}{f(1 / sps if sps else None, 2):>8}{f(x['peak_mib'], 0):>15}{f(x['first_step_s'], 1):>13}")
                for e in x['errors']: print(f'{"":<11}{side} error: {e}')
            print(f"{name:<11}{'subattr/diffusers':<19}{f(r['ratio_steps_per_s'], 2):>9}{'':>8}{f(r['ratio_peak'], 2):>15}")

if __name__ == '__main__':
    main()
