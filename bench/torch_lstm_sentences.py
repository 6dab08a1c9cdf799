#!/usr/bin/python3
"""PyTorch reference for a trained aekit sentence run (chapter 002's LSTM sentence autoencoder).

Trains the same model (bench/torch_reference.py's SeqAutoencoder, with Keras's initialisers as the
run's "init": "keras" uses) on exactly the run's data, then computes the chapter's evaluation on
the same test sentences aekit evaluated:

    /usr/bin/python3 bench/torch_lstm_sentences.py --run runs/lstm_sentences_reuters_small

It reads from the run folder (written by `aekit train`, see src/train/sentence_run.h):
    config.json             epochs, batch size, learning rate, seed, model sizes
    train_ids.npy           [n_train, seq_len] word ids of the training rows aekit used
    test_ids.npy            [n_test, seq_len] word ids of the test split
    embeddings.safetensors  the [vocab, dim] table both sides embed ids with
    cosine.csv              the test rows aekit's evaluation used (its 500-sentence subset)
and prints the train loss per epoch, the first 10 cosine similarities, mean / median / min, and a
last line `mean_cosine <float>`. It writes torch_cosine.csv (test_row,cosine) into the run folder.

Threads: torch.set_num_threads(OMP_NUM_THREADS, default 2). On a busy machine run it with
OMP_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE: with 2 spinning threads and other jobs on 2 cores we saw
no epoch of 100 batches finish in 13 minutes; one thread did ~1.3 s per batch.

Differences from aekit that remain: PyTorch's Adam (eps 1e-7 added to the bias-corrected sqrt(v))
instead of the Keras form the config names, and PyTorch's own random streams (init, shuffling),
so the two trainings agree in distribution, not bit for bit.
"""
import argparse
import json
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_reference import SeqAutoencoder  # noqa: E402


def read_safetensors(path):
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8 : 8 + n])
    header.pop("__metadata__", None)
    out = {}
    for k, v in header.items():
        a, b = v["data_offsets"]
        out[k] = np.frombuffer(raw[8 + n + a : 8 + n + b], dtype="<f4").reshape(v["shape"]).copy()
    return out


def keras_init_lstm(lstm):
    """Keras LSTM defaults: glorot_uniform kernel, orthogonal recurrent kernel, zero bias with the
    forget gate's set to 1 (unit_forget_bias). PyTorch has two biases; b_hh stays zero."""
    for name, p in lstm.named_parameters():
        with torch.no_grad():
            if name.startswith("weight_ih"):
                four_h, fan_in = p.shape  # Keras kernel [in, 4H]: fan_in = in, fan_out = 4H
                limit = (6.0 / (fan_in + four_h)) ** 0.5
                p.uniform_(-limit, limit)
            elif name.startswith("weight_hh"):
                torch.nn.init.orthogonal_(p)
            elif name.startswith("bias_ih"):
                p.zero_()
                h = p.shape[0] // 4
                p[h : 2 * h] = 1.0
            else:
                p.zero_()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--run", required=True, help="aekit run folder of a sentence run")
    p.add_argument("--epochs", type=int, default=None, help="default: the run's config")
    p.add_argument("--seed", type=int, default=None, help="default: the run's train seed")
    args = p.parse_args()
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "2") or 2))

    cfg = json.load(open(os.path.join(args.run, "config.json")))
    train_cfg, model_cfg = cfg["train"], cfg["model"]
    epochs = args.epochs if args.epochs is not None else train_cfg["epochs"]
    seed = args.seed if args.seed is not None else train_cfg.get("seed", 0)
    batch = train_cfg["batch_size"]
    lr = train_cfg["optimizer"].get("lr", 1e-3)
    latent = model_cfg["encoder"][0]["layer"]["units"]
    torch.manual_seed(seed)

    table = torch.from_numpy(read_safetensors(os.path.join(args.run, "embeddings.safetensors"))["embeddings"])
    train_ids = torch.from_numpy(np.load(os.path.join(args.run, "train_ids.npy")).astype(np.int64))
    test_ids = torch.from_numpy(np.load(os.path.join(args.run, "test_ids.npy")).astype(np.int64))
    rows = [int(line.split(",")[0]) for line in open(os.path.join(args.run, "cosine.csv")).read().split("\n")[1:] if line]
    seq_len, dim = train_ids.shape[1], table.shape[1]
    print(f"{train_ids.shape[0]} train / {test_ids.shape[0]} test sentences of {seq_len} ids; table {tuple(table.shape)}; "
          f"BiLSTM({latent}, sum) -> RepeatVector({seq_len}) -> BiLSTM({dim}, seq, sum); MSE mean; Adam lr {lr}, "
          f"eps 1e-7; batch {batch}; {epochs} epochs; seed {seed}; {torch.get_num_threads()} threads", flush=True)

    model = SeqAutoencoder(seq_len=seq_len, embed=dim, latent=latent)
    keras_init_lstm(model.encoder)
    keras_init_lstm(model.decoder)
    opt = torch.optim.Adam(model.parameters(), lr=lr, eps=1e-7)
    gen = torch.Generator().manual_seed(seed)
    for epoch in range(1, epochs + 1):
        model.train()
        t0, total, seen = time.perf_counter(), 0.0, 0
        order = torch.randperm(train_ids.shape[0], generator=gen)
        for i in range(0, order.shape[0], batch):
            x = table[train_ids[order[i : i + batch]]]
            opt.zero_grad(set_to_none=True)
            loss = F.mse_loss(model(x), x, reduction="mean")
            loss.backward()
            opt.step()
            total += loss.item() * x.shape[0]
            seen += x.shape[0]
            if (i // batch + 1) % 25 == 0:
                print(f"  epoch {epoch} batch {i // batch + 1} loss {total / seen:.6f} "
                      f"{(time.perf_counter() - t0) / (i // batch + 1):.2f} s/batch", flush=True)
        print(f"epoch {epoch}/{epochs} train_loss {total / seen:.6f} {time.perf_counter() - t0:.1f} s", flush=True)

    model.eval()
    with torch.no_grad():
        x = table[test_ids[torch.tensor(rows)]]
        y = torch.cat([model(x[i : i + 128]) for i in range(0, x.shape[0], 128)])
        ex = torch.cat([model.encode(x[i : i + 128]) for i in range(0, x.shape[0], 128)]).double()
        ey = torch.cat([model.encode(y[i : i + 128]) for i in range(0, y.shape[0], 128)]).double()
        cos = (F.cosine_similarity(ex, ey, dim=1, eps=1e-30)).numpy()
    with open(os.path.join(args.run, "torch_cosine.csv"), "w") as f:
        f.write("test_row,cosine\n" + "".join(f"{r},{c:.8f}\n" for r, c in zip(rows, cos)))
    print(f"cosine similarity of encoder(x) and encoder(autoencoder(x)) for {len(rows)} test sentences (aekit's rows):")
    print("first 10: " + " ".join(f"{c:.4f}" for c in cos[:10]))
    print(f"mean {cos.mean():.4f}  median {np.median(cos):.4f}  min {cos.min():.4f}  max {cos.max():.4f}")
    print(f"mean_cosine {cos.mean():.6f}")


if __name__ == "__main__":
    main()
