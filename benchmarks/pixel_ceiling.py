"""Do the pixels carry the shape names? The ceiling of `tower_ceiling.py` without a tower.

usage: OMP_NUM_THREADS=1 python benchmarks/pixel_ceiling.py
A small CNN (a stride-2 stem, three conv blocks, 2 000 AdamW steps of 64 images) trained on the same 24 000 renders
(`filter_pairs('shape', 12000, 0)`) to name the shape, scored on the same 1 000 fresh renders. One thread: about
11 min (5.5 of them rendering)."""
import time, torch, numpy as np, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1)
from subattr.filters import filter_pairs, scene_labels, _codes
from subattr.openworld import render, render_scenes
t = time.time(); a, b = filter_pairs('shape', 12000, 0); scenes = a + b
X = torch.from_numpy(np.stack([render(s) for s in scenes])).permute(0, 3, 1, 2).float() / 255
timgs, tsc = render_scenes(3000, seed=100)
TX = torch.from_numpy(np.asarray(timgs[2000:])).permute(0, 3, 1, 2).float() / 255
y_all, vocab = _codes(scene_labels(scenes)['shape'] + scene_labels(tsc[2000:])['shape'])
y, ty = y_all[:len(X)], y_all[len(X):]
print('render', round(time.time() - t), flush=True)
torch.manual_seed(0); g = torch.Generator().manual_seed(0)
blk = lambda i, o: nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(),
                                 nn.Conv2d(o, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU(), nn.MaxPool2d(2))
net = nn.Sequential(nn.Conv2d(3, 24, 3, stride=2, padding=1), nn.ReLU(), blk(24, 32), blk(32, 64), blk(64, 96),
                    nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(96, len(vocab)))
steps = 2000; opt = torch.optim.AdamW(net.parameters(), 2e-3, weight_decay=1e-4)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, 2e-3, total_steps=steps, pct_start=.05); t = time.time()
for s in range(steps):
    i = torch.randint(0, len(X), (64,), generator=g)
    loss = F.cross_entropy(net(X[i]), y[i]); opt.zero_grad(); loss.backward(); opt.step(); sched.step()
    if (s + 1) % 500 == 0: print(s + 1, round(loss.item(), 3), round(time.time() - t), flush=True)
net.eval()
with torch.no_grad():
    acc = lambda A, B: float(sum((net(A[j:j+500]).argmax(1) == B[j:j+500]).sum()
                                 for j in range(0, len(A), 500)) / len(A))
    print(dict(pixels_cnn_train=round(acc(X[:2000], y[:2000]), 3), test=round(acc(TX, ty), 3),
               seconds=round(time.time() - t)), flush=True)
