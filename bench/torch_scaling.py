#!/usr/bin/python3
"""PyTorch side of bench/scaling: one untimed warm-up epoch, one timed epoch, a last line
`seconds <float>` (as bench/torch_reference.py's `bench`).

    /usr/bin/python3 bench/torch_scaling.py vae --batch B --width W [--data MNIST_DIR]
        W2's VAE (pytorch/examples: 784-W-20, BCE sum + KL, Adam 1e-3) with hidden width W and
        batch B, on MNIST train as floats in memory (as W2).
    /usr/bin/python3 bench/torch_scaling.py conv-ae --folder DIR [--batch 128]
        configs/conv_ae_mnist.json's conv AE (3x3 'same' convs 16-8-3, two 2x2 max pools, two
        upsamplings, sigmoid; BCE mean, Adam 1e-3 with Keras epsilon) on a folder of grey images
        of one size, decoded once (untimed) into uint8 [N, 1, S, S]; each batch is converted to
        float / 255 (as W10).
    /usr/bin/python3 bench/torch_scaling.py vae-folder --folder DIR [--batch 128]
        W2's VAE on a folder of 28 x 28 grey images, uint8 in memory, float / 255 per batch.
"""
import argparse
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_reference import MNIST_DIR, VAE, VAE_MODELS, KerasAdam, VaeWorkload, load_images, vae_loss  # noqa: E402


def read_grey_folder(folder):
    """Every PNG of a class-folder tree (sorted) as uint8 [N, 1, H, W] (PIL's "L" conversion)."""
    from PIL import Image
    paths = []
    for cls in sorted(d for d in os.listdir(folder) if os.path.isdir(os.path.join(folder, d))):
        paths += [os.path.join(folder, cls, f) for f in sorted(os.listdir(os.path.join(folder, cls)))
                  if f.lower().endswith(".png")]
    x = np.empty((len(paths),) + np.asarray(Image.open(paths[0]).convert("L")).shape, dtype=np.uint8)
    for i, p in enumerate(paths):
        x[i] = np.asarray(Image.open(p).convert("L"))
    return torch.from_numpy(x).unsqueeze(1)


def conv_ae():
    """configs/conv_ae_mnist.json: any side divisible by 4 keeps its size through the two pools."""
    c = lambda i, o: torch.nn.Conv2d(i, o, 3, padding=1)
    net = torch.nn.Sequential(
        c(1, 16), torch.nn.ReLU(), torch.nn.MaxPool2d(2), c(16, 8), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        c(8, 3), torch.nn.ReLU(),
        c(3, 8), torch.nn.ReLU(), torch.nn.Upsample(scale_factor=2), c(8, 16), torch.nn.ReLU(),
        torch.nn.Upsample(scale_factor=2), c(16, 1), torch.nn.Sigmoid())
    for m in net.modules():
        if isinstance(m, torch.nn.Conv2d):  # Keras init, as the config's "init": "keras"
            torch.nn.init.xavier_uniform_(m.weight)
            torch.nn.init.zeros_(m.bias)
    return net


class Uint8Workload:
    """Shuffled epochs over uint8 samples in memory, each batch converted to float / 255."""

    def __init__(self, x, batch, step):
        self.x, self.batch, self.step = x, batch, step

    def epoch(self):
        n, total = self.x.shape[0], 0.0
        perm = torch.randperm(n)
        for i in range(0, n, self.batch):
            xb = self.x[perm[i : i + self.batch]].float().div_(255)
            total += self.step(xb) * xb.shape[0]
        return total / n


def conv_ae_workload(args):
    torch.set_flush_denormal(True)  # as W4 and W10
    model = conv_ae()
    opt = KerasAdam(model.parameters(), lr=1e-3)

    def step(xb):
        opt.zero_grad(set_to_none=True)
        loss = F.binary_cross_entropy(model(xb), xb, reduction="mean")
        loss.backward()
        opt.step()
        return loss.item()
    return Uint8Workload(read_grey_folder(args.folder), args.batch, step)


def vae_folder_workload(args):
    spec = VAE_MODELS[1]
    model = VAE(spec["hidden"], spec["latent"], spec["logits"], spec["keras_init"])
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step(xb):
        xb = xb.reshape(xb.shape[0], -1)
        opt.zero_grad(set_to_none=True)
        out, mu, logvar = model(xb)
        loss = vae_loss(out, xb, mu, logvar, False)
        loss.backward()
        opt.step()
        return loss.item() / xb.shape[0]
    return Uint8Workload(read_grey_folder(args.folder), args.batch, step)


def vae_workload(args):
    spec = dict(VAE_MODELS[1], hidden=args.width, batch=args.batch)
    return VaeWorkload(spec, load_images(args.data, "train", args.limit), "")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="what", required=True)
    v = sub.add_parser("vae")
    v.add_argument("--batch", type=int, default=128)
    v.add_argument("--width", type=int, default=400)
    v.add_argument("--data", default=MNIST_DIR)
    v.add_argument("--limit", type=int, default=None, help="the first N training images only (smoke tests)")
    for name in ("conv-ae", "vae-folder"):
        f = sub.add_parser(name)
        f.add_argument("--folder", required=True)
        f.add_argument("--batch", type=int, default=128)
    args = ap.parse_args()
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "2")))
    torch.manual_seed(0)
    w = {"vae": vae_workload, "conv-ae": conv_ae_workload, "vae-folder": vae_folder_workload}[args.what](args)
    w.epoch()  # warm-up, untimed
    t0 = time.perf_counter()
    loss = w.epoch()
    seconds = time.perf_counter() - t0
    print(f"{args.what}: {w.x.shape[0]} samples, train loss {loss:.4f}", file=sys.stderr)
    print(f"seconds {seconds:.6f}")


if __name__ == "__main__":
    main()
