#!/usr/bin/env bash
# `npm run demo`: the CLI on a sample folder, in a throwaway config folder, start to finish.
set -euo pipefail
work=$(mktemp -d "${TMPDIR:-/tmp}/envelock-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT
export ENVELOCK_CONFIG_DIR="$work/config"
export ENVELOCK_PASSPHRASE='demo passphrase, not a real one'
cli() { echo "\$ envelock $*"; node "$(dirname "$0")/../bin/envelock.js" "$@"; echo; }

mkdir -p "$work/Client A/contracts" "$work/Client A/empty folder"
echo 'Statement of work, strictly confidential.' > "$work/Client A/contracts/sow.txt"
head -c 3000000 /dev/urandom > "$work/Client A/design.bin"
ln -s contracts/sow.txt "$work/Client A/latest-sow"
echo "Sample folder: $work/Client A"; echo

cli init "$work/Client A" --name client-a
cli lock client-a
echo "Home folder after lock: $(ls -A "$work/Client A" | wc -l) entries"; echo
cli status client-a
cli unlock client-a
echo "Home folder after unlock:"; (cd "$work/Client A" && find . | sort); echo
cli verify client-a
cli snapshots client-a
