#!/usr/bin/python3
"""PyTorch side of the aekit speed comparison, and the PyTorch reference trainings.

Run with /usr/bin/python3 (Debian's python3-torch); the `python3` on PATH has no torch.

    /usr/bin/python3 bench/torch_reference.py bench W1 [--data DIR]
        Builds workload W1, runs one untimed warm-up epoch, times one full epoch with
        time.perf_counter and prints a last line `seconds <float>`.

    /usr/bin/python3 bench/torch_reference.py train-vanilla --seed S --epochs E [--data DIR]
        Trains the vanilla dense autoencoder on MNIST, prints the train loss of each epoch and a
        last line `test_mse <float>`.

Threads: torch.set_num_threads(OMP_NUM_THREADS, default 2). bench/compare sets the environment.

Adding a workload: write `def wN(args) -> Workload` and register it in WORKLOADS.
"""
import argparse
import gzip
import os
import struct
import sys
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch
import torch.nn.functional as F

FASHION_DIR = "/usr/share/datasets/fashion-mnist"
MNIST_DIR = "/work/main/data/mnist"


# ---------------------------------------------------------------- data


def read_idx_images(path):
    """IDX3 ubyte images (gzip or raw) -> float32 array [n, rows*cols] scaled to [0, 1]."""
    if not os.path.exists(path) and os.path.exists(path + ".gz"):
        path += ".gz"
    elif not os.path.exists(path) and path.endswith(".gz") and os.path.exists(path[:-3]):
        path = path[:-3]
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, n, rows, cols = struct.unpack(">IIII", data[:16])
    if magic != 2051:
        raise ValueError(f"{path}: not an IDX3 image file (magic {magic})")
    pixels = np.frombuffer(data, dtype=np.uint8, offset=16)
    if pixels.size != n * rows * cols:
        raise ValueError(f"{path}: expected {n}x{rows}x{cols} pixels, found {pixels.size}")
    return pixels.reshape(n, rows * cols).astype(np.float32) / 255.0


def load_images(data_dir, split="train", limit=None):
    prefix = "train" if split == "train" else "t10k"
    path = os.path.join(data_dir, f"{prefix}-images-idx3-ubyte.gz")
    x = read_idx_images(path)
    if limit:
        x = x[:limit]
    return torch.from_numpy(np.ascontiguousarray(x))


# ---------------------------------------------------------------- models


def dense_autoencoder(sizes_and_acts, keras_init=True):
    """[(in, out, act), ...] -> nn.Sequential of Linear+activation layers."""
    acts = {"relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh, "identity": torch.nn.Identity}
    layers = []
    for n_in, n_out, act in sizes_and_acts:
        lin = torch.nn.Linear(n_in, n_out)
        if keras_init:  # Keras Dense defaults: glorot_uniform kernel, zero bias
            torch.nn.init.xavier_uniform_(lin.weight)
            torch.nn.init.zeros_(lin.bias)
        layers += [lin, acts[act]()]
    return torch.nn.Sequential(*layers)


def vanilla_autoencoder():
    """The Keras blog's vanilla autoencoder: 784 -> 128 (ReLU) -> 784 (ReLU)."""
    return dense_autoencoder([(784, 128, "relu"), (128, 784, "relu")])


# ---------------------------------------------------------------- training


def train_epoch(model, opt, loss_fn, x, batch_size, generator=None):
    """One shuffled epoch over x (target = x). Returns the sample-weighted mean train loss."""
    n = x.shape[0]
    perm = torch.randperm(n, generator=generator)
    total = 0.0
    for i in range(0, n, batch_size):  # last partial batch included
        xb = x[perm[i : i + batch_size]]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(xb), xb)
        loss.backward()
        opt.step()
        total += loss.item() * xb.shape[0]
    return total / n


# ---------------------------------------------------------------- workloads


@dataclass
class Workload:
    description: str
    model: torch.nn.Module
    optimizer: torch.optim.Optimizer
    loss_fn: Callable
    x: torch.Tensor  # training inputs (target = input)
    batch_size: int

    def epoch(self):
        return train_epoch(self.model, self.optimizer, self.loss_fn, self.x, self.batch_size)


def w1(args):
    x = load_images(args.data or FASHION_DIR, "train")
    model = vanilla_autoencoder()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    return Workload("dense AE 784-128(relu)-784(relu), MSE mean, Adam 1e-2, batch 256, Fashion-MNIST train",
                    model, opt, lambda y, t: F.mse_loss(y, t, reduction="mean"), x, 256)


WORKLOADS = {
    "W1": w1,
}


def cmd_bench(args):
    if args.workload not in WORKLOADS:
        sys.exit(f"unknown workload {args.workload}; known: {', '.join(WORKLOADS)}")
    torch.manual_seed(0)
    w = WORKLOADS[args.workload](args)
    print(f"{args.workload}: {w.description}; {w.x.shape[0]} samples, {torch.get_num_threads()} threads",
          file=sys.stderr)
    w.epoch()  # warm-up, untimed
    t0 = time.perf_counter()
    loss = w.epoch()
    seconds = time.perf_counter() - t0
    print(f"train_loss {loss:.6f}", file=sys.stderr)
    print(f"seconds {seconds:.6f}")


def cmd_train_vanilla(args):
    torch.manual_seed(args.seed)
    x = load_images(args.data, "train", args.limit)
    xt = load_images(args.data, "test")
    model = vanilla_autoencoder()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    mse = lambda y, t: F.mse_loss(y, t, reduction="mean")
    for epoch in range(1, args.epochs + 1):
        loss = train_epoch(model, opt, mse, x, 256)
        print(f"epoch {epoch} train_loss {loss:.6f}", flush=True)
    with torch.no_grad():
        sq = 0.0
        for i in range(0, xt.shape[0], 1000):
            xb = xt[i : i + 1000]
            sq += ((model(xb) - xb).double() ** 2).sum().item()
    print(f"test_mse {sq / xt.numel():.8f}")


def main():
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "2") or 2))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("bench", help="time one epoch of a workload; last line `seconds <float>`")
    b.add_argument("workload", help=", ".join(WORKLOADS))
    b.add_argument("--data", default=None, help=f"dataset directory (W1: default {FASHION_DIR})")
    b.set_defaults(fn=cmd_bench)
    t = sub.add_parser("train-vanilla", help="train the vanilla AE on MNIST; last line `test_mse <float>`")
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--epochs", type=int, default=50)
    t.add_argument("--data", default=MNIST_DIR, help=f"MNIST directory (default {MNIST_DIR})")
    t.add_argument("--limit", type=int, default=None, help="use only the first N training images (smoke tests)")
    t.set_defaults(fn=cmd_train_vanilla)
    args = p.parse_args()
    args.fn(args)


if __name__ == "__main__":
    main()
