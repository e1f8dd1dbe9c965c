#!/usr/bin/env bash
# Installs package-lock.json (aws-lambda-ric, whose install builds curl and aws-lambda-cpp from source: minutes) once per
# machine, into a cache folder keyed by the lockfile, node's version and the architecture, and links it here as
# node_modules. Later runs, and other clones, only link. The cache is ${XDG_CACHE_HOME:-~/.cache}/fc-gateway/lambda-interop.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
key=$( (cat "$here/package-lock.json"; node --version; uname -m) | sha256sum | cut -c1-16)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/fc-gateway/lambda-interop
installed=$cache/$key
mkdir -p "$cache"
# node-gyp builds the addon against node's headers: those of the installed node (Debian's nodejs ships them in
# /usr/include/node) rather than a download from nodejs.org, which these machines cannot reach.
node_prefix=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")
if [ -z "${npm_config_nodedir:-}" ] && [ -f "$node_prefix/include/node/node.h" ]; then
  export npm_config_nodedir=$node_prefix
fi
if [ ! -d "$installed" ]; then
  # One install at a time on the machine; whoever waited finds it done.
  exec 9>"$cache/$key.lock"
  flock 9
  if [ ! -d "$installed" ]; then
    # What an install killed part-way left (the tests bound theirs); a failed one removes its own.
    rm -rf "$cache/$key".*/
    staging=$(mktemp -d "$cache/$key.XXXXXX")
    cp "$here/package.json" "$here/package-lock.json" "$staging"
    (cd "$staging" && npm ci --no-audit --no-fund --loglevel=error) >&2 || { rm -rf "$staging"; exit 1; }
    mv "$staging" "$installed"
  fi
fi
# A node_modules folder of its own (an npm install run here by hand) would take the link inside it and be used instead.
if [ -d "$here/node_modules" ] && [ ! -L "$here/node_modules" ]; then
  rm -rf "$here/node_modules"
fi
ln -sfn "$installed/node_modules" "$here/node_modules"
