#!/usr/bin/env bash
# After the container is created: the system packages the book uses, then restore, build and install the kernel.
set -euo pipefail
sudo apt-get update -qq
# Jupyter's client stack (the kernel's tests and nbconvert), Chromium (the site's browser tests), espeak-ng (speech chapter).
sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  python3 jupyter-client python3-jupyter-client jupyter-nbconvert python3-nbformat chromium espeak-ng
dotnet tool restore
dotnet build
npm ci --prefix site --ignore-scripts --no-audit --no-fund
dotnet artifacts/book/book.dll kernel install --user
echo "Ready: open chapters/ in VS Code and pick the kernel 'C# (Transformers book)'."
