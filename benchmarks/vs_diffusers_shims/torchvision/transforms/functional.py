"""Stand-in for torchvision.transforms.functional: PIL crop, flip and resize, and image -> tensor (benchmark use only)."""
import numpy as np, torch
from PIL import Image

def crop(img, top:int, left:int, height:int, width:int):
    "The box of `img` (PIL) at (top, left) with this height and width."
    return img.crop((left, top, left + width, top + height))

def center_crop(img, size):
    h, w = (size, size) if isinstance(size, int) else tuple(size)
    return crop(img, int(round((img.height - h) / 2)), int(round((img.width - w) / 2)), h, w)

def hflip(img): return img.transpose(Image.FLIP_LEFT_RIGHT)

def resize(img, size, resample):
    "An int resizes the shorter side to it (aspect kept); a pair is (height, width)."
    if isinstance(size, (list, tuple)): h, w = size
    elif img.width <= img.height: w, h = size, int(size * img.height / img.width)
    else: h, w = size, int(size * img.width / img.height)
    return img if (w, h) == img.size else img.resize((w, h), resample=resample)

def to_tensor(img)->torch.Tensor:
    "PIL image (H×W×C uint8) -> C×H×W float tensor in [0, 1]."
    a = np.asarray(img, dtype=np.uint8)
    if a.ndim == 2: a = a[:, :, None]
    return torch.from_numpy(a.copy()).permute(2, 0, 1).float().div(255)

def normalize(t:torch.Tensor, mean, std)->torch.Tensor:
    m = torch.as_tensor(mean, dtype=t.dtype).reshape(-1, 1, 1); s = torch.as_tensor(std, dtype=t.dtype).reshape(-1, 1, 1)
    return (t - m) / s
