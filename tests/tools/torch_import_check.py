#!/usr/bin/python3
"""CTest torch_import (issue 16): weights trained in PyTorch come into aekit unchanged.

Trains bench/torch_reference.py's vanilla autoencoder (784-128-784, ReLU, MSE) for two epochs on
512 MNIST images in PyTorch, saves its state_dict as safetensors (written here with struct/json,
under aekit's names), runs `aekit import` with configs/vanilla_mnist.json and `aekit eval`, and
requires aekit's test loss to equal PyTorch's on the 10,000 test images to 1e-5 relative. A file
missing a tensor must be refused (exit 2, naming the tensor).

    /usr/bin/python3 tests/tools/torch_import_check.py BUILD/aekit SOURCE_DIR
"""
import importlib.util
import json
import os
import re
import struct
import subprocess
import sys
import tempfile

import torch
import torch.nn.functional as F


def load_reference(src):
    spec = importlib.util.spec_from_file_location("torch_reference", os.path.join(src, "bench", "torch_reference.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def save_safetensors(path, tensors):
    """float32 tensors -> safetensors (u64 header length, JSON header, raw little-endian data)."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        data = t.detach().to(torch.float32).contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def main():
    aekit, src = sys.argv[1], sys.argv[2]
    ref = load_reference(src)
    torch.manual_seed(0)
    torch.set_num_threads(1)
    mnist = os.path.join(src, "data", "mnist")
    x = ref.load_images(mnist, "train", limit=512)
    test = ref.load_images(mnist, "test")
    model = ref.vanilla_autoencoder()  # nn.Sequential: 0 Linear, 1 ReLU, 2 Linear, 3 ReLU
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(2):
        ref.train_epoch(model, opt, F.mse_loss, x, 64, torch.Generator().manual_seed(1))
    model.eval()
    with torch.no_grad():
        torch_loss = F.mse_loss(model(test).double(), test.double()).item()

    sd = model.state_dict()
    names = {"0.weight": "encoder.0.weight", "0.bias": "encoder.0.bias",
             "2.weight": "decoder.0.weight", "2.bias": "decoder.0.bias"}
    with tempfile.TemporaryDirectory() as tmp:
        weights = os.path.join(tmp, "state_dict.safetensors")
        save_safetensors(weights, {names[k]: v for k, v in sd.items()})
        run = os.path.join(tmp, "run")
        config = os.path.join(src, "configs", "vanilla_mnist.json")
        subprocess.run([aekit, "import", "--config", config, "--weights", weights, "--data", mnist, "--out", run],
                       check=True, stdout=subprocess.DEVNULL)
        out = subprocess.run([aekit, "eval", "--run", run, "--data", mnist], check=True, capture_output=True,
                             text=True).stdout
        aekit_loss = float(re.search(r"^test_loss (\S+)", out, re.M).group(1))
        rel = abs(aekit_loss - torch_loss) / torch_loss
        print(f"pytorch test loss {torch_loss:.8f}  aekit test loss {aekit_loss:.8f}  relative difference {rel:.2e}")
        if rel > 1e-5:
            sys.exit("FAIL: aekit's test loss differs from PyTorch's by more than 1e-5 relative")

        partial = os.path.join(tmp, "partial.safetensors")
        save_safetensors(partial, {names[k]: v for k, v in sd.items() if k != "2.bias"})
        bad = subprocess.run([aekit, "import", "--config", config, "--weights", partial, "--data", mnist, "--out",
                              os.path.join(tmp, "bad")], capture_output=True, text=True)
        if bad.returncode != 2 or "decoder.0.bias" not in bad.stderr:
            sys.exit(f"FAIL: a file without decoder.0.bias gave exit {bad.returncode}: {bad.stderr.strip()}")
    print("torch_import: ok")


if __name__ == "__main__":
    main()
