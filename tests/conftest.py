import os, shutil, subprocess, sys
from pathlib import Path
import pytest

os.environ.setdefault('HF_HUB_OFFLINE', '1')   # no network here: hub lookups must fail at once, not time out
SUBATTR = shutil.which('subattr', path=str(Path(sys.executable).parent)) or shutil.which('subattr')

def run(*args, **kw):
    "Run the installed `subattr` console script; returns the CompletedProcess."
    kw = dict(capture_output=True, text=True, timeout=300, env={**os.environ, 'HF_HUB_OFFLINE': '1'}) | kw
    return subprocess.run([SUBATTR, *map(str, args)], **kw)

@pytest.fixture(scope='session')
def tiny_folder(tmp_path_factory):
    "`tiny` saved as a diffusers folder, the way a user's model arrives."
    from subattr.models import tiny_pipeline
    d = tmp_path_factory.mktemp('tiny')
    tiny_pipeline(0, progress=False).save_pretrained(d)
    return d

@pytest.fixture(scope='module')
def ref(tmp_path_factory):
    "A red dotted square, rendered: the reference image of the training tests."
    from PIL import Image
    from subattr.shapesworld import Thing, render
    p = tmp_path_factory.mktemp('ref')/'ref.png'
    Image.fromarray(render(Thing('square', 'red', 'dotted'))).save(p)
    return p
