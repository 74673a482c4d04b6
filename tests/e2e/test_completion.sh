#!/usr/bin/env bash
# `kubeblame completion bash|zsh`: the bash script is sourced and its function called the way
# bash calls it (COMP_WORDS/COMP_CWORD); the zsh one is syntax-checked when zsh is installed.
source "$(dirname "$0")/lib.sh"
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$bin" completion bash > "$tmp/kubeblame.bash"; check "completion bash exits 0" $?
# complete WORDS...: the last word is the one being completed; prints COMPREPLY, sorted, one line.
complete_words() {
  (cd "$tmp/empty" && bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
     _kubeblame; [ ${#COMPREPLY[@]} -gt 0 ] && printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' _ "$tmp/kubeblame.bash" "$@")
}
mkdir -p "$tmp/empty"
expect_eq "kubeblame t<TAB>: commands" "timeline top " "$(complete_words kubeblame t)"
expect_eq "kubeblame top --b<TAB>" "--by " "$(complete_words kubeblame top --b)"
expect_eq "kubeblame --so<TAB>: top's options by default" "--sort " "$(complete_words kubeblame --so)"
expect_eq "kubeblame top --by a<TAB>" "agent " "$(complete_words kubeblame top --by a)"
expect_eq "kubeblame top --by agent,u<TAB>: comma list" \
  "agent,user agent,user_agent " "$(complete_words kubeblame top --by agent,u)"
expect_eq "kubeblame top --format <TAB>" "csv json markdown table " "$(complete_words kubeblame top --format '')"
expect_eq "kubeblame report -f <TAB>: html, no csv" "html json markdown table " \
  "$(complete_words kubeblame report -f '')"
expect_eq "kubeblame errors --level w<TAB>" "warning " "$(complete_words kubeblame errors --level w)"
expect_eq "kubeblame top --color=<TAB>" "always auto never " "$(complete_words kubeblame top --color =)"
expect_eq "kubeblame top -n <TAB>: a number, nothing offered" "" "$(complete_words kubeblame top -n '')"
expect_eq "kubeblame completion <TAB>" "bash zsh " "$(complete_words kubeblame completion '')"
touch "$tmp/empty/audit.log" "$tmp/empty/audit.log.1"
expect_eq "kubeblame top au<TAB>: files" "audit.log audit.log.1 " "$(complete_words kubeblame top au)"
expect_eq "kubeblame top --strict au<TAB>: files after a flag" "audit.log audit.log.1 " \
  "$(complete_words kubeblame top --strict au)"

"$bin" completion zsh > "$tmp/_kubeblame"; check "completion zsh exits 0" $?
expect_eq "zsh: #compdef first" "#compdef kubeblame" "$(head -1 "$tmp/_kubeblame")"
zsh_script=$(cat "$tmp/_kubeblame")
expect_contains "zsh: --by is a comma list of dimensions" \
  "'*--by''[Comma-separated dimensions: agent, user_agent, user,...]:DIMS:_sequence compadd - agent user_agent user " "$zsh_script"
expect_contains "zsh: -f/--format values" \
  "'*'{-f,--format}'[Output: table, markdown, json or csv]:FORMAT:(table markdown json csv)'" "$zsh_script"
expect_contains "zsh: --color values" "'*--color''[Colour: auto (TTY and no NO_COLOR), always, never]:WHEN:(auto always never)'" "$zsh_script"
expect_contains "zsh: every command" "commands=('top:Rank groups of requests (the default command): counts, errors,...' 'errors:" "$zsh_script"
if command -v zsh >/dev/null; then
  zsh -n "$tmp/_kubeblame"; check "zsh -n accepts the script" $?
  # Dispatch, with zsh's completion functions stubbed: which command's specs reach _arguments.
  zsh_complete() {  # zsh_complete CURRENT WORDS...
    zsh -c '_arguments() { print -r -- "${(j:|:)@}"; }; _describe() { print -r -- describe; }
      _files() { print -r -- files; }; source "$1" > /dev/null; CURRENT=$2; shift 2
      words=("$@"); PREFIX=${words[CURRENT]}; _kubeblame' _ "$tmp/_kubeblame" "$@"
  }
  expect_contains "zsh: errors --level goes to errors' specs" \
    "|*--level[Lowest log level reported: error]:LEVEL:(error warning info fatal)|" \
    "$(zsh_complete 4 kubeblame errors --level '')"
  expect_eq "zsh: kubeblame <TAB> offers commands and files" "describe files" \
    "$(zsh_complete 2 kubeblame '' | tr '\n' ' ' | sed 's/ $//')"
  expect_contains "zsh: a file first means top" "--sort[Rank by requests, cost, errors or p99]" \
    "$(zsh_complete 3 kubeblame audit.log --so)"
else
  echo "skip zsh -n (zsh is not installed)"
fi

"$bin" completion fish > "$tmp/out" 2> "$tmp/err"; expect_eq "unknown shell: exit 2" 2 $?
expect_eq "unknown shell: message" "kubeblame: unknown shell 'fish'; valid: bash, zsh" "$(cat "$tmp/err")"
finish
