"""Mask -> shape: silhouette IoU of `draw_mask` with novel masks, with each part switched off in turn, and how often
NamedReader still names the colour and the texture kind the prompt asked for.

usage: OMP_NUM_THREADS=1 python benchmarks/mask_iou.py MODEL N_MASKS OUT.json MASK_SEED [VARIANT ...]
(the results in benchmarks/results/mask_iou_toy2.json: 24 masks, mask seed 23, one CPU thread; the settings were
chosen on 12 masks of seed 11, with toy v2 at UNet step 18 000, and the edge cells' structure on 12 masks of seed 11
with the shipped toy v2. VARIANT names run only those variants: 'subattr', 'grey', 'nostructure', 'noblend',
'nonoise', 'none'.)"""
import json, random, sys, time, numpy as np, torch
torch.set_num_threads(1)
from subattr.models import load_pipeline
from subattr.seedfull import draw_mask, mask_iou, novel_masks, _latent
from subattr.openworld import seen_value, color_words, texture_words
from subattr.readout import rate_ci
from subattr.similarity import NamedReader, segment
reader = NamedReader()
model, n_masks = sys.argv[1], int(sys.argv[2])
pipe = load_pipeline(model, progress=False)
from pathlib import Path
from subattr.core import data_path
folder = data_path('toy') if model == 'toy' else Path(model)   # the shipped toy's folder holds its training log
steps = json.loads((folder/'train_log.json').read_text())['steps']
step = steps['unet']
if model == 'toy': model = f"toy v2 (shipped: codec step {steps['codec']})"
masks = novel_masks(n_masks, seed=int(sys.argv[4]))
rng = random.Random(int(sys.argv[4]))
prompts, want = [], []
for _ in masks:
    c, t = seen_value('color', rng), seen_value('texture', rng)
    want.append((color_words(c)['name'], t.kind))
    tex = '' if t.kind == 'plain' else f" with {texture_words(t)['noun']}"
    prompts.append(f"a {color_words(c)['name']} {{}}{tex}")
out = dict(model=model, mask_seed=int(sys.argv[4]), unet_step=step, n_masks=n_masks, samples=2, steps=25, guidance=4., variants={})
# the codec's own limit: each mask drawn as a plain picture (the structure picture's grey form), encoded and decoded
def _round_trip(m):
    bg = np.full((*m.shape, 3), 204, np.uint8); pic = bg.copy(); pic[m] = 255 - pic[m]
    with torch.no_grad(): x = pipe.vae.decode(_latent(pipe, pic) / pipe.vae.config.scaling_factor).sample[0]
    return ((x.permute(1, 2, 0).clamp(-1, 1) + 1) * 127.5).round().byte().numpy()
out['codec_round_trip_iou'] = round(float(np.mean([mask_iou([_round_trip(m)], m)[0] for m in masks])), 4)
print('codec round trip', out['codec_round_trip_iou'], flush=True)
VARIANTS = dict(subattr=('subattr (blend, structure, noise init)', {}),
                grey=('structure from a grey picture', dict(fill='grey')),
                nostructure=('without structure', dict(structure=0.)), noblend=('without blending', dict(blend=0.)),
                nonoise=('without noise init', dict(noise_init=False)),
                none=('none (plain sampling)', dict(blend=0., structure=0., noise_init=False)))
if bad := [v for v in sys.argv[5:] if v not in VARIANTS]: sys.exit(f"Unknown variant {bad[0]!r}; choose from {', '.join(VARIANTS)}.")
for name, kw in [VARIANTS[v] for v in sys.argv[5:] or VARIANTS]:
    t0 = time.time(); ious, groups, named, spill, missed = [], [], [], [], []
    for i, (m, p) in enumerate(zip(masks, prompts)):
        imgs = draw_mask(pipe, m, p, seed=i, n=2, steps=25, guidance=4., **kw)
        ious += mask_iou(imgs, m).tolist(); groups += [i, i]
        arr = np.stack([np.asarray(x) for x in imgs])
        sil = segment(arr)
        spill += [(s & ~m).sum() / m.sum() for s in sil]; missed += [(~s & m).sum() / m.sum() for s in sil]
        reads = reader.read(arr)
        named += [(r['color'] == want[i][0], r['texture'] == want[i][1]) for r in reads]
    r = rate_ci([x >= .8 for x in ious], groups=groups)
    g = np.asarray(groups); rb = np.random.default_rng(0)
    boot = [np.mean([np.mean(np.asarray(ious)[g == k]) for k in rb.integers(0, n_masks, n_masks)]) for _ in range(2000)]
    out['variants'][name] = dict(mean_iou=round(float(np.mean(ious)), 4), ci=[round(float(np.percentile(boot, 2.5)), 4),
                                 round(float(np.percentile(boot, 97.5)), 4)], at_least_08=r._asdict(),
                                 color_named=rate_ci([a for a, _ in named], groups=groups)._asdict(),
                                 texture_named=rate_ci([b for _, b in named], groups=groups)._asdict(),
                                 # where the error lies, as shares of the mask's area: drawn outside it, and missed in it
                                 outside=round(float(np.mean(spill)), 4), missed=round(float(np.mean(missed)), 4),
                                 seconds=round(time.time() - t0))
    print(name, out['variants'][name], flush=True)
json.dump(out, open(sys.argv[3], 'w'), indent=1)
