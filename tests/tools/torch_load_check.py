#!/usr/bin/python3
"""Loads an aekit model.safetensors into PyTorch with nothing but json + numpy + torch (the
safetensors package is not needed), rebuilds the dense encoder/decoder from the config stored in
the file, and checks it reproduces aekit's outputs.

usage: torch_load_check.py MODEL.safetensors IO.safetensors   (IO holds "x" and aekit's "y")
Prints max_abs_diff and exits 0 if it is below 1e-5.
"""
import json
import struct
import sys

import numpy as np
import torch


def load_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, e in header.items():
        b, end = e["data_offsets"]
        arr = np.frombuffer(data[8 + n + b:8 + n + end], dtype="<f4").reshape(e["shape"])
        tensors[name] = torch.from_numpy(arr.copy())
    return tensors, meta


ACTS = {"linear": torch.nn.Identity, "relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid,
        "tanh": torch.nn.Tanh}


def build(stack, in_features, prefix):
    layers = torch.nn.ModuleDict()
    for i, layer in enumerate(stack):
        assert layer["type"] == "dense", "this checker handles dense stacks"
        seq = torch.nn.Sequential(torch.nn.Linear(in_features, layer["units"]),
                                  ACTS[layer.get("activation", "linear")]())
        layers[str(i)] = seq
        in_features = layer["units"]
    return layers, in_features


def main():
    weights, meta = load_safetensors(sys.argv[1])
    io, _ = load_safetensors(sys.argv[2])
    model = json.loads(meta["model"])
    x = io["x"].reshape(io["x"].shape[0], -1)
    h = x
    for part in ("encoder", "decoder"):
        layers, _ = build(model[part], h.shape[1], part)
        for i, seq in layers.items():
            seq[0].load_state_dict({"weight": weights[f"{part}.{i}.weight"], "bias": weights[f"{part}.{i}.bias"]})
            h = seq(h)
    diff = (h.detach() - io["y"].reshape(h.shape)).abs().max().item()
    print(f"max_abs_diff {diff:.3g}")
    sys.exit(0 if diff < 1e-5 else 1)


if __name__ == "__main__":
    main()
