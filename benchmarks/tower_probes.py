"""How much of each attribute a linear probe reads from an image tower's layers: the ceiling of a filter's probe.

usage: OMP_NUM_THREADS=1 python benchmarks/tower_probes.py MODEL_FOLDER_OR_IMAGE_ENCODER
Same protocol as `subattr.filters.filter_probes`: 2000 fresh Open ShapesWorld renders to fit (seed 100), 1000 to
score, a multinomial logistic probe (`subattr.probe._fit_logreg`, 200 iterations). Prints the test accuracy per
feature set and attribute, with flattened 16×16 grey pixels as a no-tower reference."""
import sys, torch, torch.nn.functional as F
from pathlib import Path
torch.set_num_threads(1)
from subattr.openworld import render_scenes
from subattr.probe import _fit_logreg
from subattr.filters import load_image_encoder, scene_labels, _codes, LABELS
from subattr.toy import _clip_norm
p = Path(sys.argv[1]); enc = load_image_encoder(p/'image_encoder' if (p/'image_encoder').exists() else p)
imgs, scenes = render_scenes(3000, seed=100); labels = scene_labels(scenes)
x = _clip_norm(torch.from_numpy(imgs).permute(0, 3, 1, 2).float() / 255)
with torch.no_grad(): hs = enc(pixel_values=x, output_hidden_states=True).hidden_states
feats = {f'layer {k} class token': h[:, 0] for k, h in enumerate(hs) if k}
feats |= {f'layer {k} patches, flattened': h[:, 1:].flatten(1) for k, h in enumerate(hs) if k}
feats['grey pixels, 16×16'] = F.avg_pool2d(torch.from_numpy(imgs).float().mean(-1)[:, None] / 255, 4).flatten(1)
for name, f in feats.items():
    acc = {}
    for a in LABELS:
        y, vocab = _codes(labels[a])
        acc[a] = round(_fit_logreg(f[:2000], y[:2000], f[2000:], y[2000:], len(vocab), iters=200), 3)
    print(f'{name:32s}', acc, flush=True)
