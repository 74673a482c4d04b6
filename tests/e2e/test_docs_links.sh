#!/bin/bash
# Every relative link in README.md and docs/*.md points at a file (or directory) that exists.
# Markdown links `[text](target)` and images `![alt](target)` are checked; web links
# (scheme://, mailto:) and in-page anchors (#section) are not. A `#fragment` after a path is
# dropped, and the path is resolved from the directory of the file that holds the link.
# Exit 1, naming each broken link as FILE:LINE: target, when one is missing. Run from the
# repository root; the binary argument ($1) is accepted and unused.
set -u

# Prints "LINE<TAB>TARGET" for each markdown link in FILE, outside fenced code blocks.
links_of() {
  awk '
    /^[ \t]*```/ { fenced = !fenced; next }
    fenced { next }
    {
      line = $0
      # inline code spans can hold text that looks like a link: drop them first
      gsub(/`[^`]*`/, "", line)
      while (match(line, /\]\([^) \t]+(\)| )/)) {
        target = substr(line, RSTART + 2, RLENGTH - 3)
        print NR "\t" target
        line = substr(line, RSTART + RLENGTH)
      }
    }' "$1"
}

broken=0
checked=0
for file in README.md docs/*.md; do
  [ -f "$file" ] || continue
  dir=$(dirname "$file")
  while IFS=$'\t' read -r line target; do
    case "$target" in
      *://* | mailto:* | '#'*) continue ;;
    esac
    path=${target%%#*}
    [ -n "$path" ] || continue
    checked=$((checked + 1))
    if [ ! -e "$dir/$path" ]; then
      echo "broken link: $file:$line: $target"
      broken=1
    fi
  done < <(links_of "$file")
done
echo "$checked relative links checked"
if [ "$broken" -ne 0 ]; then
  exit 1
fi
# Self-check: a file with a link to a missing path is reported (the scan is not vacuous).
probe=$(mktemp)
printf 'see [x](no/such/file.md) and `[y](in/code.md)`\n```\n[z](fenced.md)\n```\n' > "$probe"
found=$(links_of "$probe" | cut -f2)
rm -f "$probe"
if [ "$found" != "no/such/file.md" ]; then
  echo "self-check failed: expected only no/such/file.md, found [$found]"
  exit 1
fi
exit 0
