"""Issue #10's gates on a toy v2 folder, with the codec's ceiling beside them; resumable part by part.

usage: OMP_NUM_THREADS=1 python benchmarks/toy2_gates.py MODEL OUT.json [REFS [PARTS]]
       python benchmarks/toy2_gates.py merge OUT.json A.json B.json ...
REFS novel references per attribute (default 12, the gate's minimum). PARTS, a comma-separated list of part-name
prefixes (codec, drawability, transfer/shape, transfer/color, captions), runs only those, so two processes, each on
one core with its own OUT file, can split the work; `merge` then joins their files. Each finished part is written
to OUT.json at once, and a part already there is skipped, so a killed run continues where it stopped. One CPU
thread: about 90 min for the whole set (the caption gates 10 min, each tuned gate about 35 s per reference for
gate 3 and 35-70 s for gate 4); split as 'codec,drawability,transfer/shape' and 'captions,transfer/color', about
an hour on the project's 2-core machine."""
import json, sys, time
from pathlib import Path
if sys.argv[1] == 'merge':   # OUT.json A.json B.json ...: one file with every part of the others
    res = [json.loads(Path(f).read_text()) for f in sys.argv[3:]]
    out = dict(res[0], parts={k: v for r in res for k, v in r.get('parts', {}).items()})
    Path(sys.argv[2]).write_text(json.dumps(out, indent=1)); sys.exit()
import torch
torch.set_num_threads(1)
from subattr.models import load_pipeline
from subattr.toy2 import GATES, caption_gates, codec_ceiling, tuned_gate

model, out = sys.argv[1], Path(sys.argv[2])
refs = int(sys.argv[3]) if len(sys.argv) > 3 else 12
only = tuple(sys.argv[4].split(',')) if len(sys.argv) > 4 else ('',)
res = json.loads(out.read_text()) if out.exists() else {}
log = json.loads((Path(model)/'train_log.json').read_text()) if (Path(model)/'train_log.json').exists() else {}
res.update(model=str(model), steps=log.get('steps'), gates=GATES, refs=refs)
R = lambda r: dict(r._asdict())

def part(name, fn):
    if name in res.get('parts', {}) or not name.startswith(only): return
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
