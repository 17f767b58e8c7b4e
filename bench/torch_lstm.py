"""The PyTorch side of the project's benchmark: torch.nn.LSTM training and inference throughput.

    /usr/bin/python3 bench/torch_lstm.py --workload W1|W2|W3|all [--reps N] [--json]

Needs Debian's PyTorch (`apt-get install python3-torch`); it is never a dependency of lstm-train itself.
Also install an optimised BLAS (`apt-get install libopenblas0-openmp`): without it Debian's torch multiplies
matrices with the reference BLAS and the comparison says more about that than about LSTMs.
Workloads mirror the TypeScript benchmark's:
  W1  classify: T=28, 28 features, hidden 128, batch 64, 10 classes, softmax cross-entropy, Adam(1e-3)
  W2  forecast: T=96, 8 features, hidden 64, batch 128, 1 target, MSE, Adam(1e-3)
  W3  W2 with 24 steps ahead at once (24 outputs)
Both have one LSTM layer and a Linear head on the last step's output (H * directions → outputs).
Each measurement is batch / the median step time over --reps passes of STEPS_PER_REP batches, after a warm-up, on 2 threads
(the machine the project targets has 2 cores), with OMP_WAIT_POLICY=PASSIVE unless set. Peak RSS is the process's maximum resident set so far, in MB.
With --json, exactly one JSON object is printed on stdout.
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time

# Idle OpenMP threads sleep instead of spinning (unless the caller says otherwise). On a shared 2-core machine a
# spinning thread that waits for one preempted by another process stalls every parallel region: measured here,
# 2-thread LSTM steps were up to 10x slower and wildly variable with the default policy. Read when torch loads.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import torch  # noqa: E402  (after the OpenMP setting above)

THREADS = 2
SEED = 1234
STEPS_PER_REP = 20  # batches per timed repetition
WARMUP_STEPS = 3
DEFAULT_REPS = 5

WORKLOADS = {
    "W1": dict(task="classify", time=28, features=28, hidden=128, batch=64, outputs=10),
    "W2": dict(task="forecast", time=96, features=8, hidden=64, batch=128, outputs=1),
    "W3": dict(task="forecast", time=96, features=8, hidden=64, batch=128, outputs=24),
}


class LstmModel(torch.nn.Module):
    """One LSTM layer, then a Linear head on the last step's output."""

    def __init__(self, features, hidden, outputs, bidirectional):
        super().__init__()
        self.lstm = torch.nn.LSTM(features, hidden, batch_first=True, bidirectional=bidirectional)
        self.head = torch.nn.Linear(hidden * (2 if bidirectional else 1), outputs)

    def forward(self, x):  # x [B, T, F]
        out, _ = self.lstm(x)  # [B, T, H*dirs]
        return self.head(out[:, -1, :])  # [B, outputs]


def make_batches(w, n, generator):
    """`n` random (x, y) batches: class labels for classify, one real target for forecast."""
    batches = []
    for _ in range(n):
        x = torch.randn(w["batch"], w["time"], w["features"], generator=generator)
        if w["task"] == "classify":
            y = torch.randint(0, w["outputs"], (w["batch"],), generator=generator)
        else:
            y = torch.randn(w["batch"], w["outputs"], generator=generator)
        batches.append((x, y))
    return batches


def timed_reps(run_step, batches, reps):
    """Batch size / the median step time over `reps` passes over `batches` (each step timed), after a warm-up:
    the same statistic as the TypeScript side's."""
    for x, y in batches[:WARMUP_STEPS]:
        run_step(x, y)
    seconds = []
    for _ in range(reps):
        for x, y in batches:
            start = time.perf_counter()
            run_step(x, y)
            seconds.append(time.perf_counter() - start)
    return len(batches[0][0]) / statistics.median(seconds)


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def bench_one(name, bidirectional, reps):
    w = WORKLOADS[name]
    torch.manual_seed(SEED)
    generator = torch.Generator().manual_seed(SEED)
    model = LstmModel(w["features"], w["hidden"], w["outputs"], bidirectional)
    loss_fn = torch.nn.CrossEntropyLoss() if w["task"] == "classify" else torch.nn.MSELoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    batches = make_batches(w, STEPS_PER_REP, generator)

    def train_step(x, y):
        optimizer.zero_grad(set_to_none=True)
        loss_fn(model(x), y).backward()
        optimizer.step()

    def infer_step(x, _y):
        with torch.no_grad():
            model(x)

    model.train()
    train = timed_reps(train_step, batches, reps)
    model.eval()
    infer = timed_reps(infer_step, batches, reps)
    direction = "bi" if bidirectional else "uni"
    row = lambda phase, rate: dict(
        workload=name, impl="torch", direction=direction, phase=phase,
        samplesPerSec=round(rate, 1), peakRssMb=round(peak_rss_mb(), 1),
    )
    return [row("train", train), row("infer", infer)]


def print_table(result):
    print("torch %s, %d threads" % (result["torch"], result["threads"]))
    print("%-8s %-6s %-9s %-6s %14s %12s" % ("workload", "impl", "direction", "phase", "samples/s", "peak RSS MB"))
    for r in result["rows"]:
        print("%-8s %-6s %-9s %-6s %14.1f %12.1f" % (
            r["workload"], r["impl"], r["direction"], r["phase"], r["samplesPerSec"], r["peakRssMb"]))


def main(argv):
    parser = argparse.ArgumentParser(description="torch.nn.LSTM training/inference throughput")
    parser.add_argument("--workload", choices=["W1", "W2", "W3", "all"], default="all")
    parser.add_argument("--reps", type=int, default=DEFAULT_REPS, help="timed repetitions (median taken)")
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    args = parser.parse_args(argv)
    if args.reps < 1:
        parser.error("--reps: expected a positive integer, got %d" % args.reps)
    torch.set_num_threads(THREADS)
    names = list(WORKLOADS) if args.workload == "all" else [args.workload]
    rows = [row for name in names for bi in (False, True) for row in bench_one(name, bi, args.reps)]
    result = {"torch": torch.__version__, "threads": torch.get_num_threads(), "rows": rows}
    if args.json:
        print(json.dumps(result))
    else:
        print_table(result)


if __name__ == "__main__":
    main(sys.argv[1:])
