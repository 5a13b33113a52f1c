#!/bin/sh
# Makes profiles/newsprint-coldset-tr002.icc from Debian's copy of the CGATS/SNAP TR 002 newsprint data
# (profiles/SOURCE.md says why and how). Needs root for apt, or the two packages installed.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v colprof >/dev/null || [ ! -f /usr/share/color/icc/TR002.ti3 ]; then
  echo "install: apt-get install argyll icc-profiles-free" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp /usr/share/color/icc/TR002.ti3 /usr/share/color/icc/sRGB.icc "$work/"
cd "$work"
colprof -qm -kr -l240 -L95 -S sRGB.icc -cmt -dpp \
  -D "Newsprint coldset, CGATS/SNAP TR 002-2007, 240% TAC (exporter)" \
  -C "Profile made with ArgyllCMS colprof from CGATS/SNAP TR 002-2007 characterization data. Free to distribute." TR002
cp TR002.icc "$here/profiles/newsprint-coldset-tr002.icc"
