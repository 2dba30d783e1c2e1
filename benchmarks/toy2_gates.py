"""Issue #10's gates on a toy v2 folder, with the codec's ceiling beside them; resumable part by part.

usage: OMP_NUM_THREADS=1 python benchmarks/toy2_gates.py MODEL OUT.json [REFS]
REFS novel references per attribute (default 12, the gate's minimum). Each finished part is written to OUT.json at
once, and a part already there is skipped, so a killed run continues where it stopped. One CPU thread: about 75 min
for the whole set on the project's 2-core machine
(the caption gates 10 min, each tuned gate 1 to 2 min per reference)."""
import json, sys, time, torch
from pathlib import Path
torch.set_num_threads(1)
from subattr.models import load_pipeline
from subattr.toy2 import GATES, caption_gates, codec_ceiling, tuned_gate

model, out = sys.argv[1], Path(sys.argv[2])
refs = int(sys.argv[3]) if len(sys.argv) > 3 else 12
res = json.loads(out.read_text()) if out.exists() else {}
log = json.loads((Path(model)/'train_log.json').read_text()) if (Path(model)/'train_log.json').exists() else {}
res.update(model=str(model), steps=log.get('steps'), gates=GATES, refs=refs)
R = lambda r: dict(r._asdict())

def part(name, fn):
    if name in res.get('parts', {}): return
    t = time.time(); v = fn()
    res.setdefault('parts', {})[name] = dict(result=v, seconds=round(time.time() - t))
    out.write_text(json.dumps(res, indent=1)); print(name, json.dumps(v), flush=True)

pipe = load_pipeline(model, progress=False)
for a in (None, 'shape', 'color', 'texture'):
    part(f'codec/{a or "seen"}', lambda: {k: R(v) for k, v in codec_ceiling(pipe, a, refs=24).items()})
for a in ('shape', 'color', 'texture'):
    part(f'drawability/{a}', lambda: R(tuned_gate(pipe, a, refs=refs)['rate']))
recipes = {'textual inversion': dict(mode='token'),                                     # plain TI, reported beside
           'token + every block': dict(),                                               # gate 3's recipe
           "token + the attribute's preset": dict(select=None)}                         # seed-shape / seed-appearance
for a in ('shape', 'color'):
    for name, kw in recipes.items():
        part(f'transfer/{a}/{name}', lambda: R(tuned_gate(pipe, a, transfer=True, refs=refs, **kw)['rate']))
part('captions', lambda: {s: {k: R(v) for k, v in d.items()} for s, d in caption_gates(pipe, n=200).items()})
