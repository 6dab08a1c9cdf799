#!/usr/bin/python3
"""PyTorch side of the aekit speed comparison, and the PyTorch reference trainings.

Run with /usr/bin/python3 (Debian's python3-torch); the `python3` on PATH has no torch.

    /usr/bin/python3 bench/torch_reference.py bench W1 [--data DIR]
        Builds workload W1, runs one untimed warm-up epoch, times one full epoch with
        time.perf_counter and prints a last line `seconds <float>`.

    /usr/bin/python3 bench/torch_reference.py bench W4 --precision bf16
        The same with every forward pass and loss under torch.autocast(device_type="cpu",
        dtype=torch.bfloat16) (bench/compare Wn --precision bf16). PyTorch 1.13's CPU autocast
        runs linear, matmul and convolutions in bf16; its nn.LSTM stays fp32.

    /usr/bin/python3 bench/torch_reference.py bench W9 | W10 [--data DIR]
        Read the PNG folder `build/aekit bench Wn --prepare` generates ($TMPDIR or /tmp, then
        /aekit-bench/w9-images or w10-images); `bench Wn --prepare` here does nothing (the
        aekit side makes the data, bench/compare calls it first).

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
MNIST_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "mnist")


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


# `bench --precision bf16` turns this on: forward passes and losses run under CPU autocast.
AUTOCAST_BF16 = False


def autocast():
    """The context every training forward pass and loss runs in (a no-op unless AUTOCAST_BF16)."""
    return torch.autocast(device_type="cpu", dtype=torch.bfloat16, enabled=AUTOCAST_BF16)


def train_epoch(model, opt, loss_fn, x, batch_size, generator=None):
    """One shuffled epoch over x (target = x). Returns the sample-weighted mean train loss."""
    n = x.shape[0]
    perm = torch.randperm(n, generator=generator)
    total = 0.0
    for i in range(0, n, batch_size):  # last partial batch included
        xb = x[perm[i : i + batch_size]]
        opt.zero_grad(set_to_none=True)
        with autocast():
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


class SeqAutoencoder(torch.nn.Module):
    """Chapter 002's sentence autoencoder: encoder BiLSTM(latent) merged by sum -> RepeatVector(seq_len)
    -> decoder BiLSTM(embed, return sequences) merged by sum. Input and output [batch, seq_len, embed]."""

    def __init__(self, seq_len=50, embed=50, latent=512):
        super().__init__()
        self.seq_len, self.embed = seq_len, embed
        self.encoder = torch.nn.LSTM(embed, latent, batch_first=True, bidirectional=True)
        self.decoder = torch.nn.LSTM(latent, embed, batch_first=True, bidirectional=True)

    def encode(self, x):
        _, (h, _) = self.encoder(x)  # h [2, batch, latent]: each direction's last state
        return h[0] + h[1]

    def forward(self, x):
        z = self.encode(x).unsqueeze(1).expand(-1, self.seq_len, -1)  # RepeatVector, as a view
        y, _ = self.decoder(z)
        return y[..., : self.embed] + y[..., self.embed :]


def w7(args):
    x = torch.randn(100 * 64, 50, 50)  # 100 batches of 64 random "sentences"
    model = SeqAutoencoder()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    return Workload("seq AE BiLSTM(512,sum) -> RepeatVector(50) -> BiLSTM(50,seq,sum), MSE mean, Adam 1e-3, "
                    "batch 64, 100 batches of random [64,50,50]",
                    model, opt, lambda y, t: F.mse_loss(y, t, reduction="mean"), x, 64)


class VAE(torch.nn.Module):
    """pytorch/examples' VAE shape: 784-h-(z mu, z logvar), decoder z-h-784. logits=True returns
    logits (chapter 002's model), else sigmoid probabilities (pytorch/examples)."""

    def __init__(self, hidden, latent, logits, keras_init):
        super().__init__()
        self.fc1 = torch.nn.Linear(784, hidden)
        self.fc21 = torch.nn.Linear(hidden, latent)
        self.fc22 = torch.nn.Linear(hidden, latent)
        self.fc3 = torch.nn.Linear(latent, hidden)
        self.fc4 = torch.nn.Linear(hidden, 784)
        self.logits = logits
        if keras_init:
            for m in self.modules():
                if isinstance(m, torch.nn.Linear):
                    torch.nn.init.xavier_uniform_(m.weight)
                    torch.nn.init.zeros_(m.bias)

    def encode(self, x):
        h = F.relu(self.fc1(x))
        return self.fc21(h), self.fc22(h)

    def forward(self, x):
        mu, logvar = self.encode(x)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        out = self.fc4(F.relu(self.fc3(z)))
        return (out if self.logits else torch.sigmoid(out)), mu, logvar


def vae_loss(out, x, mu, logvar, logits):
    """Per-batch SUM of (BCE summed over pixels + KL) as pytorch/examples; divide by the batch for
    the per-image figure."""
    bce = (F.binary_cross_entropy_with_logits(out, x, reduction="sum") if logits
           else F.binary_cross_entropy(out, x, reduction="sum"))
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return bce + kld


VAE_MODELS = {
    # model 1: pytorch/examples (sum over the batch, Adam 1e-3, batch 128, MNIST)
    1: dict(hidden=400, latent=20, logits=False, keras_init=False, batch=128, clip=None, per_batch_mean=False,
            data=MNIST_DIR),
    # model 2: chapter 002 (logits, loss / batch, per-tensor clip 15, batch 100, Fashion-MNIST)
    2: dict(hidden=512, latent=10, logits=True, keras_init=True, batch=100, clip=15.0, per_batch_mean=True,
            data=FASHION_DIR),
}


class VaeWorkload:
    def __init__(self, spec, x, description):
        self.spec, self.x, self.description = spec, x, description
        self.model = VAE(spec["hidden"], spec["latent"], spec["logits"], spec["keras_init"])
        self.opt = torch.optim.Adam(self.model.parameters(), lr=1e-3)
        self.batch_size = spec["batch"]

    def epoch(self):
        n, total = self.x.shape[0], 0.0
        perm = torch.randperm(n)
        for i in range(0, n, self.batch_size):
            xb = self.x[perm[i : i + self.batch_size]]
            self.opt.zero_grad(set_to_none=True)
            with autocast():
                out, mu, logvar = self.model(xb)
                loss = vae_loss(out, xb, mu, logvar, self.spec["logits"])
            if self.spec["per_batch_mean"]:
                loss = loss / xb.shape[0]
            loss.backward()
            if self.spec["clip"]:
                for p in self.model.parameters():  # Keras clipnorm: each tensor on its own
                    torch.nn.utils.clip_grad_norm_([p], self.spec["clip"])
            self.opt.step()
            total += loss.item() * (xb.shape[0] if self.spec["per_batch_mean"] else 1)
        return total / n


def w2(args):
    return VaeWorkload(VAE_MODELS[1], load_images(args.data or MNIST_DIR, "train"),
                       "VAE 784-400-20 (pytorch/examples), BCE sum + KL, Adam 1e-3, batch 128, MNIST train")


def w3(args):
    return VaeWorkload(VAE_MODELS[2], load_images(args.data or FASHION_DIR, "train"),
                       "VAE 784-512-10 logits (chapter 002), BCE-logits sum + KL, clip 15, batch 100, Fashion-MNIST")


class LatencyWorkload:
    """W8: batch-1 encode latency of model 1 (mu only) over the MNIST test images in turn, as
    aekit times it. epoch() = mean seconds per call; also prints uniform random inputs' figure."""

    def __init__(self, data_dir):
        self.model = VAE(400, 20, False, False).eval()
        images = load_images(data_dir, "test").reshape(-1, 784)
        self.test = [images[i:i + 1].clone() for i in range(images.shape[0])]
        self.uniform = [torch.rand(1, 784) for _ in range(1000)]
        self.description = "batch-1 encode latency of VAE model 1 (fc1 + relu + fc21), 20000 calls, MNIST test images"
        self.calls = 20000

    def latency(self, inputs):
        with torch.inference_mode(), autocast():
            for x in inputs[:1000]:
                self.model.fc21(F.relu(self.model.fc1(x)))
            n = len(inputs)
            t0 = time.perf_counter()
            for i in range(self.calls):
                h = F.relu(self.model.fc1(inputs[i % n]))
                self.model.fc21(h)
            return (time.perf_counter() - t0) / self.calls

    def epoch(self):
        print(f"us per encode: uniform random {1e6 * self.latency(self.uniform):.3f}")
        s = self.latency(self.test)
        print(f"us per encode: test images {1e6 * s:.3f}")
        return s


def w8(args):
    return LatencyWorkload(args.data or MNIST_DIR)


def same_pad_pool():
    """Keras MaxPooling2D(2, padding='same'): pad bottom/right only when the size is odd."""
    class Pool(torch.nn.Module):
        def forward(self, x):
            h, w = x.shape[-2:]
            return F.max_pool2d(F.pad(x, (0, w % 2, 0, h % 2), value=float("-inf")), 2)
    return Pool()


def conv_denoise_ae():
    """Chapter 002's conv denoising AE (see configs/conv_denoise_mnist.json): 28->14->7->4->8->16->14->28."""
    c = lambda i, o, pad=1: torch.nn.Conv2d(i, o, 3, padding=pad)
    net = torch.nn.Sequential(
        c(1, 32), torch.nn.ReLU(), same_pad_pool(), c(32, 32), torch.nn.ReLU(), same_pad_pool(),
        c(32, 16), torch.nn.ReLU(), same_pad_pool(),
        c(16, 16), torch.nn.ReLU(), torch.nn.Upsample(scale_factor=2), c(16, 32), torch.nn.ReLU(),
        torch.nn.Upsample(scale_factor=2), c(32, 32, 0), torch.nn.ReLU(), torch.nn.Upsample(scale_factor=2),
        c(32, 1), torch.nn.Sigmoid())
    for m in net.modules():
        if isinstance(m, torch.nn.Conv2d):
            torch.nn.init.xavier_uniform_(m.weight)
            torch.nn.init.zeros_(m.bias)
    return net


class DenoiseWorkload:
    """W4. channels_last is PyTorch's best layout for this model here: 11 s vs 16-19 s per epoch
    in NCHW (oneDNN's blocked kernels need no reorders). W5's conv VAE is not faster with it."""

    def __init__(self, x, batch, channels_last=True):
        # PyTorch's best settings for W4: flushing denormals made it ~10% faster here.
        torch.set_flush_denormal(True)
        self.fmt = torch.channels_last if channels_last else torch.contiguous_format
        self.x = x.reshape(-1, 1, 28, 28)
        self.model = conv_denoise_ae().to(memory_format=self.fmt)
        self.opt = torch.optim.Adam(self.model.parameters(), lr=1e-3)
        self.batch_size = batch
        self.description = "chapter 002 conv denoising AE, BCE mean, Adam 1e-3, batch 128, noise 0.5 N(0,1) clipped"

    def epoch(self):
        n, total = self.x.shape[0], 0.0
        perm = torch.randperm(n)
        for i in range(0, n, self.batch_size):
            xb = self.x[perm[i : i + self.batch_size]].contiguous(memory_format=self.fmt)
            noisy = (xb + 0.5 * torch.randn_like(xb)).clamp(0, 1)
            self.opt.zero_grad(set_to_none=True)
            with autocast():
                loss = F.binary_cross_entropy(self.model(noisy), xb)
            loss.backward()
            self.opt.step()
            total += loss.item() * xb.shape[0]
        return total / n


class ConvVAE(torch.nn.Module):
    """Chapter 001's conv VAE (configs/conv_vae2d_mnist.json), Keras 'valid' padding throughout."""

    def __init__(self):
        super().__init__()
        self.enc = torch.nn.Sequential(
            torch.nn.Conv2d(1, 64, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
            torch.nn.Conv2d(64, 64, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
            torch.nn.Conv2d(64, 32, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
            torch.nn.Flatten(), torch.nn.Linear(32, 16))
        self.mu, self.logvar = torch.nn.Linear(16, 2), torch.nn.Linear(16, 2)
        self.fc = torch.nn.Linear(2, 64)
        self.dec = torch.nn.Sequential(
            torch.nn.ConvTranspose2d(64, 64, 3), torch.nn.ReLU(), torch.nn.ConvTranspose2d(64, 64, 3), torch.nn.ReLU(),
            torch.nn.Upsample(scale_factor=2), torch.nn.ConvTranspose2d(64, 64, 3), torch.nn.ReLU(),
            torch.nn.Upsample(scale_factor=2), torch.nn.ConvTranspose2d(64, 1, 5), torch.nn.ReLU())

    def forward(self, x):
        h = self.enc(x)
        mu, logvar = self.mu(h), self.logvar(h)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        return self.dec(self.fc(z).reshape(-1, 64, 1, 1)), mu, logvar


class DeepVAE(torch.nn.Module):
    """Chapter 000's deep 2-D VAE (configs/vae_deep2d_mnist.json): dropout/dense/batch-norm/ReLU blocks."""

    def __init__(self):
        super().__init__()

        def blocks(sizes, n_in):
            layers = []
            for n in sizes:
                layers += [torch.nn.Dropout(0.1), torch.nn.Linear(n_in, n), torch.nn.BatchNorm1d(n, momentum=0.01, eps=1e-3),
                           torch.nn.ReLU()]
                n_in = n
            return layers
        self.enc = torch.nn.Sequential(*blocks([512, 512, 256, 256, 128], 784), torch.nn.Linear(128, 2),
                                       torch.nn.BatchNorm1d(2, momentum=0.01, eps=1e-3), torch.nn.Sigmoid())
        self.mu, self.logvar = torch.nn.Linear(2, 2), torch.nn.Linear(2, 2)
        self.dec = torch.nn.Sequential(*blocks([128, 256, 256, 512, 512], 2), torch.nn.Linear(512, 784), torch.nn.Sigmoid())

    def forward(self, x):
        h = self.enc(x)
        mu, logvar = self.mu(h), self.logvar(h)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        return self.dec(z), mu, logvar


class ModelVaeWorkload:
    """One epoch of a VAE module returning (output, mu, logvar); loss per image averaged over the batch."""

    def __init__(self, model, x, batch, recon, description):
        self.model, self.x, self.batch_size, self.recon, self.description = model, x, batch, recon, description
        self.opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def epoch(self):
        self.model.train()
        n, total = self.x.shape[0], 0.0
        perm = torch.randperm(n)
        for i in range(0, n, self.batch_size):
            xb = self.x[perm[i : i + self.batch_size]]
            self.opt.zero_grad(set_to_none=True)
            with autocast():
                out, mu, logvar = self.model(xb)
                kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
                loss = (self.recon(out, xb) + kld) / xb.shape[0]
            loss.backward()
            self.opt.step()
            total += loss.item() * xb.shape[0]
        return total / n


def w5(args):
    x = load_images(args.data or MNIST_DIR, "train").reshape(-1, 1, 28, 28)
    mse784 = lambda y, t: 784 * F.mse_loss(y, t, reduction="none").mean(dim=(1, 2, 3)).sum()
    return ModelVaeWorkload(ConvVAE(), x, 64, mse784, "chapter 001 conv VAE, 784 x MSE + KL, Adam 1e-3, batch 64, MNIST")


def w6(args):
    x = load_images(args.data or MNIST_DIR, "train")
    bce = lambda y, t: F.binary_cross_entropy(y, t, reduction="sum")
    return ModelVaeWorkload(DeepVAE(), x, 128, bce, "chapter 000 deep VAE (BN, dropout), BCE sum + KL, Adam 1e-3, batch 128")


def w4(args):
    return DenoiseWorkload(load_images(args.data or MNIST_DIR, "train"), 128)


# ---------------------------------------------------------------- W9, W10: a folder of PNG files


def bench_images(name):
    """The folder `build/aekit bench Wn --prepare` generates (src/cli/cmd_bench.cpp)."""
    return os.path.join(os.environ.get("TMPDIR") or "/tmp", "aekit-bench", name)


def require_prepared(folder, workload):
    if not os.path.exists(os.path.join(folder, ".complete")):
        sys.exit(f"{folder}: no complete benchmark image folder; run `build/aekit bench {workload} --prepare` first "
                 "(bench/compare does)")


class PipelineWorkload:
    """W9: the input pipeline alone, torchvision's way: ImageFolder (PIL decode, Resize(64) +
    CenterCrop(64) = fit-crop, ToTensor = float /255) and DataLoader(batch 64, shuffle,
    num_workers 2). Each epoch decodes and resizes every image once and sums every value (as the
    aekit side does). Built once, untimed; persistent_workers so the timed epoch does not pay
    the workers' start (PyTorch's best for repeated passes; the warm-up epoch pays it)."""

    def __init__(self, folder):
        import torchvision
        from torchvision import transforms
        tf = transforms.Compose([transforms.Resize(64), transforms.CenterCrop(64), transforms.ToTensor()])
        self.dataset = torchvision.datasets.ImageFolder(folder, transform=tf)
        self.loader = torch.utils.data.DataLoader(self.dataset, batch_size=64, shuffle=True, num_workers=2,
                                                  persistent_workers=True)
        self.samples = len(self.dataset)
        self.description = ("input pipeline alone: torchvision ImageFolder (PIL decode, Resize(64) + CenterCrop(64), "
                            "ToTensor) + DataLoader(batch 64, shuffle, num_workers 2, persistent workers), every "
                            "batch summed")

    def epoch(self):
        total, n = 0.0, 0
        for x, _ in self.loader:
            total += x.sum(dtype=torch.float64).item()
            n += x.shape[0]
        print(f"{n} images, mean value {total / (n * 3 * 64 * 64):.6f}", file=sys.stderr)
        return total


def tf_same_pads(size, k, s):
    """TF/Keras 'same' padding on one axis (src/nn/conv2d.cpp): (before, after), the odd pixel after."""
    out = (size + s - 1) // s
    total = max((out - 1) * s + k - size, 0)
    return total // 2, total - total // 2


class SameConv2d(torch.nn.Conv2d):
    """Conv2d with Keras 'same' padding: for 3x3 stride 2 on an even size that is 0 before, 1
    after (PyTorch's padding=1 would pad 1 on both sides: same shapes, shifted taps)."""

    def forward(self, x):
        (kh, kw), (sh, sw) = self.kernel_size, self.stride
        t, b = tf_same_pads(x.shape[-2], kh, sh)
        l, r = tf_same_pads(x.shape[-1], kw, sw)
        return super().forward(F.pad(x, (l, r, t, b)) if t or b or l or r else x)


class SameConvTranspose2d(torch.nn.ConvTranspose2d):
    """ConvTranspose2d with Keras 'same' padding (src/nn/conv2d_transpose.cpp): output in*stride,
    cropped from the full (in-1)*stride+k output starting at (full-out)//2, i.e. for 3x3 stride 2
    the last row and column are dropped. (PyTorch's padding=1, output_padding=1 gives the same
    shape but drops the first row and column instead.)"""

    def forward(self, x):
        y = super().forward(x)
        (kh, kw), (sh, sw) = self.kernel_size, self.stride
        oh, ow = x.shape[-2] * sh, x.shape[-1] * sw
        t, l = (y.shape[-2] - oh) // 2, (y.shape[-1] - ow) // 2
        return y[..., t : t + oh, l : l + ow]


class ConvVAE64(torch.nn.Module):
    """configs/conv_vae_rgb64.json: encoder 4 x (3x3 stride-2 'same' conv + ReLU) 32-64-128-256
    (64 -> 4) + flatten, mu/logvar dense 4096 -> 128, decoder dense 128 -> 4096 + ReLU, reshape
    [256, 4, 4], 4 x 3x3 stride-2 'same' transposed conv 128-64-32-3 (ReLU, last sigmoid).
    Keras init (xavier_uniform weights, zero biases). native_padding: PyTorch's own padding=1
    (and output_padding=1) instead of the exact Keras 'same' (same shapes and FLOPs, no pad/crop
    copies; the taps sit one pixel off)."""

    def __init__(self, native_padding=False):
        super().__init__()
        if native_padding:
            conv = lambda i, o: torch.nn.Conv2d(i, o, 3, stride=2, padding=1)
            convt = lambda i, o: torch.nn.ConvTranspose2d(i, o, 3, stride=2, padding=1, output_padding=1)
        else:
            conv = lambda i, o: SameConv2d(i, o, 3, stride=2)
            convt = lambda i, o: SameConvTranspose2d(i, o, 3, stride=2)
        R = torch.nn.ReLU
        self.enc = torch.nn.Sequential(conv(3, 32), R(), conv(32, 64), R(), conv(64, 128), R(), conv(128, 256), R(),
                                       torch.nn.Flatten())
        self.mu, self.logvar = torch.nn.Linear(4096, 128), torch.nn.Linear(4096, 128)
        self.fc = torch.nn.Linear(128, 4096)
        self.dec = torch.nn.Sequential(convt(256, 128), R(), convt(128, 64), R(), convt(64, 32), R(), convt(32, 3),
                                       torch.nn.Sigmoid())
        for m in self.modules():
            if isinstance(m, (torch.nn.Linear, torch.nn.Conv2d, torch.nn.ConvTranspose2d)):
                torch.nn.init.xavier_uniform_(m.weight)
                torch.nn.init.zeros_(m.bias)

    def forward(self, x):
        h = self.enc(x)
        mu, logvar = self.mu(h), self.logvar(h)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        y = self.dec(F.relu(self.fc(z)).reshape(-1, 256, 4, 4))
        return y, mu, logvar


class KerasAdam(torch.optim.Adam):
    """Adam with Keras' epsilon placement (configs' "epsilon_placement": "keras", eps 1e-7):
    lr_t m / (sqrt(v) + eps) = lr m_hat / (sqrt(v_hat) + eps / sqrt(1 - beta2^t)), i.e. PyTorch's
    Adam with eps scaled each step (a scalar per step, nothing per element)."""

    def __init__(self, params, lr=1e-3, eps=1e-7, betas=(0.9, 0.999)):
        super().__init__(params, lr=lr, betas=betas, eps=eps)
        self.keras_eps, self.t = eps, 0

    def step(self, closure=None):
        self.t += 1
        for g in self.param_groups:
            g["eps"] = self.keras_eps / (1 - g["betas"][1] ** self.t) ** 0.5
        return super().step(closure)


def read_png_folder(folder):
    """Every image of a class-folder tree (ImageFolder's order) as uint8 [N, 3, H, W]."""
    from PIL import Image
    paths = []
    for cls in sorted(d for d in os.listdir(folder) if os.path.isdir(os.path.join(folder, d))):
        paths += [os.path.join(folder, cls, f) for f in sorted(os.listdir(os.path.join(folder, cls)))
                  if f.lower().endswith(".png")]
    arrays = [np.asarray(Image.open(p).convert("RGB")) for p in paths]
    return torch.from_numpy(np.stack(arrays)).permute(0, 3, 1, 2).contiguous()


class ColourVaeWorkload:
    """W10: configs/conv_vae_rgb64.json on the 10000 64x64 PNGs, decoded once into uint8
    [N, 3, 64, 64] (untimed); each shuffled batch of 64 is converted to float /255 in the epoch.
    BCE summed over the 12288 values + KL, mean over the batch; Adam 1e-3 with Keras epsilon.
    Flush-denormal as for W4. PyTorch runs at its best measured settings (2026-12-03, quiet
    machine, one epoch each: nchw + Keras pad/crop 22.67 s, channels_last 22.74 s, PyTorch's own
    padding=1 / output_padding=1 21.28 s, both 20.58 s): channels_last and native padding, the
    same shapes and FLOPs as the exact Keras 'same' pad/crop (--padding keras), taps one pixel
    off."""

    def __init__(self, folder, memory_format="nchw", native_padding=False):
        torch.set_flush_denormal(True)
        self.x = read_png_folder(folder)
        self.fmt = torch.channels_last if memory_format == "channels_last" else torch.contiguous_format
        self.model = ConvVAE64(native_padding).to(memory_format=self.fmt)
        self.opt = KerasAdam(self.model.parameters(), lr=1e-3)
        self.batch_size = 64
        self.description = (f"colour conv VAE (configs/conv_vae_rgb64.json), BCE sum + KL, Adam 1e-3 keras epsilon, "
                            f"batch 64, {memory_format}, {'native' if native_padding else 'Keras same'} padding, "
                            f"uint8 [N,3,64,64] in memory -> float /255 per batch")

    def epoch(self):
        self.model.train()
        n, total = self.x.shape[0], 0.0
        perm = torch.randperm(n)
        for i in range(0, n, self.batch_size):
            xb = self.x[perm[i : i + self.batch_size]].float().div_(255).contiguous(memory_format=self.fmt)
            self.opt.zero_grad(set_to_none=True)
            with autocast():
                out, mu, logvar = self.model(xb)
                kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
                loss = (F.binary_cross_entropy(out, xb, reduction="sum") + kld) / xb.shape[0]
            loss.backward()
            self.opt.step()
            total += loss.item() * xb.shape[0]
        return total / n


def w9(args):
    folder = args.data or bench_images("w9-images")
    require_prepared(folder, "W9")
    return PipelineWorkload(folder)


def w10(args):
    folder = args.data or bench_images("w10-images")
    require_prepared(folder, "W10")
    return ColourVaeWorkload(folder, args.memory_format or "channels_last", args.padding == "native")


WORKLOADS = {
    "W1": w1,
    "W4": w4,
    "W5": w5,
    "W6": w6,
    "W2": w2,
    "W3": w3,
    "W7": w7,
    "W8": w8,
    "W9": w9,
    "W10": w10,
}


def cmd_bench(args):
    global AUTOCAST_BF16
    if args.workload not in WORKLOADS:
        sys.exit(f"unknown workload {args.workload}; known: {', '.join(WORKLOADS)}")
    if args.precision == "bf16" and args.workload == "W9":
        sys.exit("W9 computes no products; --precision bf16 applies to training and W8")
    AUTOCAST_BF16 = args.precision == "bf16"
    if args.prepare:  # the aekit side generates W9's and W10's images (bench/compare calls it)
        print(f"{args.workload}: nothing to prepare on the PyTorch side")
        return
    torch.manual_seed(0)
    w = WORKLOADS[args.workload](args)
    n = w.samples if hasattr(w, "samples") else getattr(w, "x", torch.empty(1)).shape[0]
    print(f"{args.workload}: {w.description}; {n} samples, {torch.get_num_threads()} threads, "
          f"{'bf16 autocast' if AUTOCAST_BF16 else 'fp32'}", file=sys.stderr)
    w.epoch()  # warm-up, untimed
    t0 = time.perf_counter()
    result = w.epoch()
    seconds = time.perf_counter() - t0
    if isinstance(w, LatencyWorkload):
        seconds = result  # per call
    elif not isinstance(w, PipelineWorkload):
        print(f"train_loss {result:.6f}", file=sys.stderr)
    print(f"seconds {seconds:.9f}")


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


def cmd_train_vae(args):
    """Trains VAE model 1 or 2 and prints per-image test loss (BCE sum + KL, one z sample)."""
    torch.manual_seed(args.seed)
    spec = VAE_MODELS[args.model]
    data = args.data or spec["data"]
    w = VaeWorkload(spec, load_images(data, "train", args.limit), "")
    xt = load_images(data, "test")
    for epoch in range(1, args.epochs + 1):
        print(f"epoch {epoch} train_loss {w.epoch():.4f}", flush=True)
    w.model.eval()
    with torch.no_grad():
        total = 0.0
        for i in range(0, xt.shape[0], 1000):
            xb = xt[i : i + 1000]
            out, mu, logvar = w.model(xb)
            total += vae_loss(out, xb, mu, logvar, spec["logits"]).item()
    print(f"test_loss {total / xt.shape[0]:.4f}")


def cmd_train_conv_denoise(args):
    """Trains chapter 002's conv denoising AE (W4's model) and prints the test BCE (mean over
    pixels and images) of denoising noisy test images (x + 0.5 N(0,1), clipped) against clean ones."""
    torch.manual_seed(args.seed)
    w = DenoiseWorkload(load_images(args.data, "train", args.limit), 128)
    xt = load_images(args.data, "test").reshape(-1, 1, 28, 28)
    for epoch in range(1, args.epochs + 1):
        print(f"epoch {epoch} train_loss {w.epoch():.6f}", flush=True)
    noisy = (xt + 0.5 * torch.randn_like(xt)).clamp(0, 1)
    with torch.no_grad():
        total = 0.0
        for i in range(0, xt.shape[0], 1000):
            total += F.binary_cross_entropy(w.model(noisy[i : i + 1000]), xt[i : i + 1000], reduction="sum").item()
    print(f"test_bce {total / xt.numel():.6f}")


def main():
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "2") or 2))
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("bench", help="time one epoch of a workload; last line `seconds <float>`")
    b.add_argument("workload", help=", ".join(WORKLOADS))
    b.add_argument("--data", default=None, help=f"dataset directory (W1: default {FASHION_DIR})")
    b.add_argument("--prepare", action="store_true", help="nothing to do here (the aekit side makes W9/W10's data)")
    b.add_argument("--precision", choices=["fp32", "bf16"], default="fp32",
                   help="bf16: forward passes and losses under torch.autocast(device_type='cpu', dtype=torch.bfloat16)")
    b.add_argument("--memory-format", choices=["channels_last", "nchw"], default=None,
                   help="W10's tensor layout (default channels_last, its faster; W4 always runs channels_last)")
    b.add_argument("--padding", choices=["native", "keras"], default="native",
                   help="W10: PyTorch's padding=1 / output_padding=1 (default, faster) or the exact Keras 'same' pad/crop")
    b.set_defaults(fn=cmd_bench)
    t = sub.add_parser("train-vanilla", help="train the vanilla AE on MNIST; last line `test_mse <float>`")
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--epochs", type=int, default=50)
    t.add_argument("--data", default=MNIST_DIR, help=f"MNIST directory (default {MNIST_DIR})")
    t.add_argument("--limit", type=int, default=None, help="use only the first N training images (smoke tests)")
    t.set_defaults(fn=cmd_train_vanilla)
    v = sub.add_parser("train-vae", help="train VAE model 1 or 2; last line `test_loss <float>` per image")
    v.add_argument("--model", type=int, choices=[1, 2], default=1)
    v.add_argument("--seed", type=int, default=1)
    v.add_argument("--epochs", type=int, default=10)
    v.add_argument("--data", default=None, help="dataset directory (model 1: MNIST, model 2: Fashion-MNIST)")
    v.add_argument("--limit", type=int, default=None)
    v.set_defaults(fn=cmd_train_vae)
    c = sub.add_parser("train-conv-denoise", help="train W4's model on MNIST; last line `test_bce <float>`")
    c.add_argument("--seed", type=int, default=0)
    c.add_argument("--epochs", type=int, default=3)
    c.add_argument("--data", default=MNIST_DIR, help=f"MNIST directory (default {MNIST_DIR})")
    c.add_argument("--limit", type=int, default=None)
    c.set_defaults(fn=cmd_train_conv_denoise)
    args = p.parse_args()
    args.fn(args)


if __name__ == "__main__":
    main()
