"""How much shape do an image tower's tokens hold? The ceiling a shape filter can reach (issue #13's 0.90 target).

usage: OMP_NUM_THREADS=1 python benchmarks/tower_ceiling.py ENCODER_FOLDER VARIANTS
Supervised shape-name classifiers (the filter's architecture with a linear head, cross-entropy on the 17 shape names)
trained on the tower's tokens of the 24 000 renders of `filter_pairs('shape', 12000, 0)`, scored on 1 000 fresh
renders (the filter probe's test split). VARIANTS, comma-separated: last | concat (all layers' tokens side by side) |
layer2, each with optional :dim=N:mix=M (width, self-attention layers). One thread: 5-6 min of rendering and encoding,
then 4-20 min per variant."""
import sys, json, time, torch, numpy as np, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1)
from subattr.filters import load_image_encoder, filter_pairs, scene_labels, AttributeFilter, _codes
from subattr.openworld import render, render_scenes
from subattr.toy import _clip_norm
enc = load_image_encoder(sys.argv[1])
t = time.time()
a, b = filter_pairs('shape', 12000, 0); scenes = a + b
imgs = np.stack([render(s) for s in scenes])
timgs, tsc = render_scenes(3000, seed=100); timgs, tsc = timgs[2000:], tsc[2000:]
print('render', round(time.time() - t), flush=True)
@torch.no_grad()
def hs(images):
    out = []
    for i in range(0, len(images), 256):
        x = _clip_norm(torch.from_numpy(images[i:i + 256]).permute(0, 3, 1, 2).float() / 255)
        h = enc(pixel_values=x, output_hidden_states=True).hidden_states[1:]
        out.append(torch.stack(h, 1).half())
    return torch.cat(out)   # N×4×65×128
H, TH = hs(imgs), hs(np.asarray(timgs)); print('encode', round(time.time() - t), flush=True)
names = scene_labels(scenes)['shape'] + scene_labels(tsc)['shape']
y_all, vocab = _codes(names); y, ty = y_all[:len(scenes)], y_all[len(scenes):]
print(len(vocab), 'names; chance', float(np.bincount(ty.numpy()).max() / len(ty)), flush=True)
def run(tag, pick, dim=64, mix=1, steps=2000, batch=256, lr=2e-3):
    torch.manual_seed(0); g = torch.Generator().manual_seed(0); t = time.time()
    x0 = pick(H[:2]); f = AttributeFilter(x0.shape[-1], dim, 4)
    if mix > 1: f.mix = nn.Sequential(*[nn.TransformerEncoderLayer(dim, 4, 2 * dim, dropout=0., batch_first=True,
                                                                   norm_first=True) for _ in range(mix)])
    head = nn.Linear(dim * 4, len(vocab))
    opt = torch.optim.AdamW(list(f.parameters()) + list(head.parameters()), lr=lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, lr, total_steps=steps, pct_start=.05)
    for s in range(steps):
        i = torch.randint(0, len(H), (batch,), generator=g)
        loss = F.cross_entropy(head(f(pick(H[i]).float()).flatten(1)), y[i])
        opt.zero_grad(); loss.backward(); opt.step(); sched.step()
    with torch.no_grad():
        acc = lambda X, Y: float(sum((head(f(pick(X[j:j+500]).float()).flatten(1)).argmax(1) == Y[j:j+500]).sum()
                                     for j in range(0, len(X), 500)) / len(X))
        r = dict(tag=tag, train=round(acc(H[:2000], y[:2000]), 3), test=round(acc(TH, ty), 3),
                 loss=round(loss.item(), 3),
                 seconds=round(time.time() - t))
    print(r, flush=True); return r
variants = dict(
    last=lambda h: h[:, 3], concat=lambda h: h.permute(0, 2, 1, 3).flatten(2),
    layer2=lambda h: h[:, 1])
for tag in sys.argv[2].split(','):
    kind, *opts = tag.split(':'); kw = dict(o.split('=') for o in opts)
    run(tag, variants[kind], **{k: int(v) if k != 'lr' else float(v) for k, v in kw.items()})
