# Synthetic colour image folder for the peak-RSS measurement: N 64x64 RGB PNGs in 10 classes.
import os, sys
import numpy as np
from PIL import Image
out, n = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(0)
yy, xx = np.mgrid[0:64, 0:64]
for c in range(10):
    os.makedirs(f"{out}/c{c}", exist_ok=True)
for i in range(n):
    c = i % 10
    base = np.stack([(xx * (c + 1) * 3 + i) % 256, (yy * 4 + 20 * c) % 256, ((xx + yy) * 2 + i * 7) % 256], -1)
    img = (base + rng.integers(0, 24, (64, 64, 3))).clip(0, 255).astype(np.uint8)
    Image.fromarray(img).save(f"{out}/c{c}/{i:06d}.png", compress_level=1)
