#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Build one man page from its Markdown source with pandoc (`make man`).
# Usage: mkman.sh SOURCE.md OUTPUT VERSION
#
# A source line "@include FILE" (FILE relative to the source's directory)
# is replaced by FILE from its first "# " heading on, that heading left
# out and every deeper heading raised one level: this is how
# nguard.conf(5) is made of Documentation/policy-language.md itself, so
# the language is described in one place. man.lua capitalizes section
# headings and gives wide tables column widths. No date goes in, so the
# output only changes when a source, the version or pandoc does.
set -eu
src=$1 out=$2 version=$3
dir=$(dirname "$src")
filter=$(dirname "$0")/man.lua

expand() {
	awk -v dir="$dir" '
	/^@include / {
		file = dir "/" $2; seen = 0; fence = 0
		while ((getline line < file) > 0) {
			if (!seen) { if (line ~ /^# /) seen = 1; continue }
			if (line ~ /^(```|~~~)/) fence = !fence
			if (!fence && line ~ /^##/) line = substr(line, 2)
			print line
		}
		if (!seen) { print "mkman.sh: no \"# \" heading in " file > "/dev/stderr"; exit 1 }
		close(file)
		next
	}
	{ print }' "$src"
}

tmp=$out.tmp
expand | pandoc --standalone --from markdown-smart --to man \
	--lua-filter="$filter" --metadata footer="nguard $version" -o "$tmp"
mv "$tmp" "$out"
