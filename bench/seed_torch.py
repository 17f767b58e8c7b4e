"""The torch side of the seed's experiment (issue 34): torch.nn.LSTM on Fashion-MNIST, rows read as sequences.

    /usr/bin/python3 bench/seed_torch.py [--src DIR] [--rows N] [--epochs 3] [--bidirectional]

Reads Debian's idx files directly (dataset-fashion-mnist, gzip; no CSV: torch's fastest way in), scales pixels by
1/255, holds out a seeded 10% of the first N training images for validation as lstm-train's config does, and
trains with the seed's recipe: 28 steps × 28 pixels, hidden 128, Adam(1e-3), batch 64, cross-entropy on a Linear
head over the last step's output, 2 threads. The checkpoint with the lowest val loss (lstm-train's
checkpoints/best) is scored on the official 10,000 test images. Prints one JSON object on stdout: per-epoch train
and val loss and accuracy, test accuracy, phase times, training samples/s and peak RSS (MB).
"""
import argparse
import copy
import gzip
import json
import os
import resource
import sys
import time

# As in torch_lstm.py: idle OpenMP threads sleep rather than spin on a shared 2-core machine.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch_lstm import LstmModel  # noqa: E402  (the benchmark's model: one LSTM layer, a Linear head on the last step)

THREADS = 2
SEED = 42
HIDDEN = 128
BATCH = 64
LEARNING_RATE = 1e-3
VAL_FRACTION = 0.1
EVAL_BATCH = 256
DEBIAN_DIR = "/usr/share/datasets/fashion-mnist"


def read_idx(path, header_bytes):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=header_bytes)


def load(src, prefix, limit=None):
    """Images [N, 28, 28] scaled to 0-1 (float32) and labels [N] (int64)."""
    pixels = read_idx(os.path.join(src, "%s-images-idx3-ubyte.gz" % prefix), 16).reshape(-1, 28, 28)
    labels = read_idx(os.path.join(src, "%s-labels-idx1-ubyte.gz" % prefix), 8)
    n = len(labels) if limit is None else min(limit, len(labels))
    x = torch.from_numpy(pixels[:n].astype(np.float32) / 255.0)
    return x, torch.from_numpy(labels[:n].astype(np.int64))


def evaluate(model, loss_fn, x, y):
    """Mean loss and accuracy in eval mode, batch by batch."""
    model.eval()
    loss_sum, correct = 0.0, 0
    with torch.no_grad():
        for i in range(0, len(y), EVAL_BATCH):
            logits = model(x[i : i + EVAL_BATCH])
            loss_sum += loss_fn(logits, y[i : i + EVAL_BATCH]).item() * len(logits)
            correct += (logits.argmax(1) == y[i : i + EVAL_BATCH]).sum().item()
    return loss_sum / len(y), correct / len(y)


def train_epoch(model, loss_fn, optimizer, x, y, generator):
    """One shuffled pass; the running mean loss and accuracy in train mode (lstm-train's train columns)."""
    model.train()
    order = torch.randperm(len(y), generator=generator)
    loss_sum, correct = 0.0, 0
    for i in range(0, len(y), BATCH):
        idx = order[i : i + BATCH]
        optimizer.zero_grad(set_to_none=True)
        logits = model(x[idx])
        loss = loss_fn(logits, y[idx])
        loss.backward()
        optimizer.step()
        loss_sum += loss.item() * len(idx)
        correct += (logits.argmax(1) == y[idx]).sum().item()
    return loss_sum / len(y), correct / len(y)


def run(args):
    started = time.perf_counter()
    torch.set_num_threads(THREADS)
    torch.manual_seed(SEED)
    generator = torch.Generator().manual_seed(SEED)
    x, y = load(args.src, "train", args.rows)
    x_test, y_test = load(args.src, "t10k")
    order = torch.randperm(len(y), generator=generator)
    n_val = max(1, round(VAL_FRACTION * len(y)))
    val, train = order[:n_val], order[n_val:]
    x_train, y_train, x_val, y_val = x[train], y[train], x[val], y[val]
    load_seconds = time.perf_counter() - started

    model = LstmModel(28, HIDDEN, 10, args.bidirectional)
    loss_fn = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    epochs, train_seconds, best = [], 0.0, None
    for epoch in range(1, args.epochs + 1):
        t = time.perf_counter()
        train_loss, train_acc = train_epoch(model, loss_fn, optimizer, x_train, y_train, generator)
        seconds = time.perf_counter() - t
        train_seconds += seconds
        val_loss, val_acc = evaluate(model, loss_fn, x_val, y_val)
        epochs.append(dict(epoch=epoch, train_loss=train_loss, train_accuracy=train_acc, val_loss=val_loss,
                           val_accuracy=val_acc, epoch_seconds=seconds))
        if best is None or val_loss < best[0]:
            best = (val_loss, epoch, copy.deepcopy(model.state_dict()))
    model.load_state_dict(best[2])
    t = time.perf_counter()
    _, test_acc = evaluate(model, loss_fn, x_test, y_test)
    return dict(
        torch=torch.__version__, threads=torch.get_num_threads(), bidirectional=args.bidirectional,
        trainRows=len(y_train), valRows=len(y_val), testRows=len(y_test), epochs=epochs, bestEpoch=best[1],
        testAccuracy=test_acc, loadSeconds=load_seconds, trainSeconds=train_seconds,
        testSeconds=time.perf_counter() - t, wallSeconds=time.perf_counter() - started,
        trainSamplesPerSec=len(y_train) * args.epochs / train_seconds,
        peakRssMb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # Linux reports KiB
    )


def main(argv):
    parser = argparse.ArgumentParser(description="torch.nn.LSTM on Fashion-MNIST rows (the seed's recipe)")
    parser.add_argument("--src", default=DEBIAN_DIR, help="folder of the four idx .gz files")
    parser.add_argument("--rows", type=int, default=None, help="the first N training images (default all)")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--bidirectional", action="store_true")
    args = parser.parse_args(argv)
    if args.rows is not None and args.rows < 10:
        parser.error("--rows: expected at least 10, got %d" % args.rows)
    print(json.dumps(run(args)))


if __name__ == "__main__":
    main(sys.argv[1:])
