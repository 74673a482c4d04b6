#!/usr/bin/env bash
# `cmake --install` of the build tree that holds $1 puts exactly five files in their places (binary,
# gzipped man page, bash and zsh completions, copyright) and they work; with cpack and dpkg-deb,
# `cpack -G DEB` of the same tree gives a kubeblame .deb with those files and a computed Depends.
source "$(dirname "$0")/lib.sh"
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
build=$(dirname "$bin")
while [ "$build" != / ] && [ ! -f "$build/CMakeCache.txt" ]; do build=$(dirname "$build"); done
[ -f "$build/CMakeCache.txt" ]; check "build tree found above the binary" $?
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
expected_files="bin/kubeblame
share/bash-completion/completions/kubeblame
share/doc/kubeblame/copyright
share/man/man1/kubeblame.1.gz
share/zsh/vendor-completions/_kubeblame"

prefix=$tmp/prefix
cmake --install "$build" --prefix "$prefix" > "$tmp/install.log" 2>&1; check "cmake --install exits 0" $?
expect_eq "installed files" "$expected_files" "$(cd "$prefix" && find . -type f | sed 's|^\./||' | sort)"
[ -x "$prefix/bin/kubeblame" ]; check "bin/kubeblame is executable" $?
expect_eq "installed binary: --version" "kubeblame $version" "$("$prefix/bin/kubeblame" --version)"
cmp -s LICENSE "$prefix/share/doc/kubeblame/copyright"; check "copyright is LICENSE" $?

page=$tmp/kubeblame.1
gzip -dc "$prefix/share/man/man1/kubeblame.1.gz" > "$page"; check "man page is gzip" $?
expect_eq "man page is what --man prints" "$("$bin" --man)" "$(cat "$page")"
if command -v groff > /dev/null; then
  expect_eq "groff renders the installed page without warnings" "" \
    "$(groff -ww -man -Tutf8 -z "$page" 2>&1)"
else
  echo "skip groff (not installed)"
fi

bash_file=$prefix/share/bash-completion/completions/kubeblame
expect_eq "bash file registers _kubeblame for kubeblame" "complete -F _kubeblame kubeblame" \
  "$(bash -c 'source "$1" && complete -p kubeblame' _ "$bash_file")"
# (from an empty directory: file names complete too)
mkdir "$tmp/empty"
expect_eq "bash: kubeblame to<TAB> gives top" "top" \
  "$(cd "$tmp/empty" && bash -c 'source "$1"; COMP_WORDS=(kubeblame to); COMP_CWORD=1; _kubeblame
     echo "${COMPREPLY[*]}"' _ "$bash_file")"
expect_eq "zsh file starts with #compdef" "#compdef kubeblame" \
  "$(head -1 "$prefix/share/zsh/vendor-completions/_kubeblame")"

if ! command -v cpack > /dev/null || ! command -v dpkg-deb > /dev/null \
   || ! command -v dpkg-shlibdeps > /dev/null; then
  echo "skip cpack -G DEB (needs cpack, dpkg-deb and dpkg-shlibdeps)"
  finish
fi
# -B: the package and CPack's staging tree go to $tmp, the build tree is only read.
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$tmp/package" > "$tmp/cpack.log" 2>&1
check "cpack -G DEB exits 0" $?
deb=$(ls "$tmp"/package/kubeblame_*.deb 2> /dev/null)
expect_eq "one .deb, named kubeblame_VERSION-1_ARCH.deb" \
  "kubeblame_${version}-1_$(dpkg --print-architecture).deb" "$(basename "$deb")"
info=$(dpkg-deb -I "$deb")
expect_contains "Package" "Package: kubeblame" "$info"
expect_contains "Version" "Version: $version-1" "$info"
expect_contains "Section" "Section: utils" "$info"
expect_contains "Maintainer" "Maintainer: " "$info"
expect_contains "Description" "Description: analyzer for Kubernetes API-server audit logs" "$info"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
expect_contains "Depends names libsimdjson" "libsimdjson" "$depends"
if grep -q '^VERSION_CODENAME=bookworm' /etc/os-release; then
  names=$(echo "$depends" | tr ',' '\n' | sed 's/^ *//; s/ .*//')
  for package in libsimdjson14 libfmt9 libspdlog1.10-fmt9 zlib1g libisal2 libzstd1 libc6 libstdc++6 libgcc-s1; do
    echo "$names" | grep -qxF "$package"; check "Depends names $package (Debian 12)" $?
  done
fi
# Regular files only (directories end in /): mode, owner and path.
listing=$(dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {print $1, $2, $6}')
expect_eq "dpkg-deb -c: the five files, root-owned" \
  "-rwxr-xr-x root/root ./usr/bin/kubeblame
-rw-r--r-- root/root ./usr/share/bash-completion/completions/kubeblame
-rw-r--r-- root/root ./usr/share/doc/kubeblame/copyright
-rw-r--r-- root/root ./usr/share/man/man1/kubeblame.1.gz
-rw-r--r-- root/root ./usr/share/zsh/vendor-completions/_kubeblame" "$(echo "$listing" | sort -k3)"
dpkg-deb -x "$deb" "$tmp/extracted"
if command -v file > /dev/null; then
  expect_contains "the packaged binary is stripped" ", stripped" "$(file "$tmp/extracted/usr/bin/kubeblame")"
fi
finish
