#!/usr/bin/env bash
# bench/run.sh — kubeblame's benchmark, in one run (issue #5): kubeblame vs DuckDB vs jq on generated
# audit logs, -j 1 vs -j N, stdin vs file, gzip, the raw events in the Azure shapes (AKSAudit
# az -o json, REST and portal CSV, EventList, Event Hub, Storage) and EKS CloudWatch inputs
# (filter-log-events, Firehose), the other reports, and peak RSS at two sizes. See bench/README.md for what each row means; --help for the options.
#
# It builds nothing: it needs the release build (README) and reads KUBEBLAME_BUILD (default
# build/release, relative to the repository root) for kubeblame and bench/kubeblame-gen.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
data="$here/data"
node_dir="$here/.cache/node"
results="$here/results.md"

[[ -n ${EPOCHREALTIME:-} ]] || { echo "bench/run.sh: needs bash 5 or newer" >&2; exit 1; }

build=${KUBEBLAME_BUILD:-build/release}
[[ $build == /* ]] || build="$root/$build"
KB="$build/kubeblame"
GEN="$build/bench/kubeblame-gen"
DRAIN="$build/bench/kubeblame-pipe-drain"
BY=agent,verb,resource
SEED=42

usage() {
  cat <<'EOF'
usage: bench/run.sh [options]

Times kubeblame against DuckDB (read_json via @duckdb/node-api, installed into bench/.cache/node)
and jq on generated audit logs (cached in bench/data), alternating the commands for several rounds
and taking medians, after checking that DuckDB's rows equal kubeblame's. Prints a table and the
issue #5 targets with PASS/FAIL.

  --size SIZE      raw audit JSON-lines input (default 1G; suffix K, M or G)
  --az-size SIZE   AKSAudit `az -o json` input (default 200M)
  --slice SIZE     prefix of the raw input that jq reads (default 50M)
  --rounds N       timed rounds (default 5)
  --seed N         generator seed (default 42)
  --quick          --size 100M --az-size 20M --rounds 3
  --big            also a 4G input, to show peak RSS does not grow with input size
  --record         add the dated results (machine, versions, table) to bench/results.md
  --self-check     everything at 5M with 1 round, DuckDB row check included: does the script work?
  --prepare        only install DuckDB, generate the inputs and check the rows (no timing): do it
                   while the machine is busy, and time later
  -h, --help       this help

Environment: KUBEBLAME_BUILD=DIR (default build/release) selects the build to measure.
The machine should be quiet: close other work first (the script warns when the load is high).
EOF
}

die() {
  printf 'bench/run.sh: %s\n' "$*" >&2
  exit 1
}
note() { printf '%s\n' "$*" >&2; }

# "1G" -> 1073741824; fails on anything else.
to_bytes() {
  [[ $1 =~ ^([0-9]+)([KkMmGg]?)$ ]] || return 1
  local n=${BASH_REMATCH[1]} unit=${BASH_REMATCH[2],,}
  case $unit in
    k) n=$((n << 10)) ;;
    m) n=$((n << 20)) ;;
    g) n=$((n << 30)) ;;
  esac
  ((n > 0)) || return 1
  echo "$n"
}

# 1073741824 -> "1G", 20971520 -> "20M"; other values stay in bytes.
to_label() {
  local n=$1
  if ((n % (1 << 30) == 0)); then echo "$((n >> 30))G"
  elif ((n % (1 << 20) == 0)); then echo "$((n >> 20))M"
  elif ((n % (1 << 10) == 0)); then echo "$((n >> 10))K"
  else echo "$n"; fi
}

# ---------------------------------------------------------------------------------------------
# Options

size=1G az_size=200M slice=50M rounds=5 big=0 record=0 self_check=0 prepare=0
while (($# > 0)); do
  case $1 in
    --size) size=${2:?--size needs a value}; shift ;;
    --az-size) az_size=${2:?--az-size needs a value}; shift ;;
    --slice) slice=${2:?--slice needs a value}; shift ;;
    --rounds) rounds=${2:?--rounds needs a value}; shift ;;
    --seed) SEED=${2:?--seed needs a value}; shift ;;
    --quick) size=100M az_size=20M rounds=3 ;;
    --big) big=1 ;;
    --record) record=1 ;;
    --self-check) self_check=1 ;;
    --prepare) prepare=1 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
  shift
done
if ((self_check)); then
  size=5M az_size=1M slice=5M rounds=1
  ((record == 0)) || die "--self-check results are not worth recording; drop --record"
fi
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "--rounds must be a positive number"
[[ $SEED =~ ^[0-9]+$ ]] || die "--seed must be a number"
size_bytes=$(to_bytes "$size") || die "bad --size $size (use e.g. 1G, 200M)"
az_bytes=$(to_bytes "$az_size") || die "bad --az-size $az_size"
slice_bytes=$(to_bytes "$slice") || die "bad --slice $slice"
((slice_bytes < size_bytes)) || slice_bytes=$size_bytes
# The RSS check compares the main input with a small one: 100M, or a fifth of a small main input.
small_bytes=$((100 << 20))
((size_bytes > 2 * small_bytes)) || small_bytes=$((size_bytes / 5))
big_bytes=$((4 << 30))

# ---------------------------------------------------------------------------------------------
# Tools

[[ -x $KB && -x $GEN && -x $DRAIN ]] || die "$KB, $GEN and $DRAIN are needed; build them first, as in the README:
    sh .ci/setup && cmake --preset release && cmake --build --preset release
  (or point KUBEBLAME_BUILD at another release build directory)"
stale=$(find "$root/src" "$root/include" -type f -newer "$KB" -print -quit 2>/dev/null || true)
[[ -z $stale ]] || note "warning: ${stale#"$root"/} is newer than $KB: rebuild if you meant to measure it"
[[ ! $root/bench/generate_audit.cpp -nt $GEN ]] || note "warning: bench/generate_audit.cpp is newer than $GEN: rebuild it"

apt_updated=0
need() {  # need COMMAND DEBIAN-PACKAGE
  command -v "$1" >/dev/null 2>&1 && return 0
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    note "installing $2 (apt-get) for $1"
    if ((apt_updated == 0)); then apt-get update -qq >&2; apt_updated=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >&2
  fi
  command -v "$1" >/dev/null 2>&1 || die "$1 is needed: sudo apt-get install $2"
}
need jq jq
need gzip gzip
[[ -x /usr/bin/time ]] || need /usr/bin/time time
TIME=/usr/bin/time
need node nodejs

if [[ ! -d $node_dir/node_modules/@duckdb/node-api ]]; then
  need npm npm
  note "installing @duckdb/node-api into ${node_dir#"$root"/} (npm)"
  npm install --prefix "$node_dir" --no-audit --no-fund --loglevel=error @duckdb/node-api >&2 ||
    die "npm install @duckdb/node-api failed (it needs the npm registry the first time)"
fi
DUCK=(node "$here/duckdb_top.mjs")
duck_version=$("${DUCK[@]}" --version) || die "DuckDB does not load; remove $node_dir and run again"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

load1() { cut -d' ' -f1 /proc/loadavg; }
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="$(load1)" 'BEGIN { exit !(l >= 1.5) }'; then
  note "warning: load average $(load1) on $(nproc) cores: other work is running and the timings will be noisy"
fi

# ---------------------------------------------------------------------------------------------
# Inputs, generated once and cached in bench/data. A file is reused when its .meta matches: the
# size, seed, format and a fingerprint of the generator (a hash of its first 256 KiB of output),
# so a changed generator regenerates everything.

mkdir -p "$data"
fingerprint() {  # fingerprint FORMAT
  "$GEN" --size 256K --seed "$SEED" --format "$1" 2>/dev/null | sha256sum | cut -c1-16
}
fp_audit=$(fingerprint audit)
fp_az=$(fingerprint aks-az-json)

check_space() {  # check_space BYTES
  local avail_kib
  avail_kib=$(df -Pk "$data" | awk 'NR == 2 { print $4 }')
  ((avail_kib * 1024 > $1 + (1 << 30))) || die "not enough disk space in $data for $(to_label "$1") more"
}

# generate FILE FORMAT BYTES: the generator's output, unless a matching file is cached.
generate() {
  local file=$1 format=$2 bytes=$3 meta fp=$fp_audit
  case $format in
    audit) ;;
    aks-az-json) fp=$fp_az ;;
    *) fp=$(fingerprint "$format") ;;
  esac
  meta="format=$format size=$bytes seed=$SEED generator=$fp"
  if [[ -f $file && -f $file.meta && $(cat "$file.meta") == "$meta" ]]; then return 0; fi
  check_space "$bytes"
  note "generating ${file#"$root"/} ($format, $(to_label "$bytes"), seed $SEED)"
  rm -f "$file" "$file.meta"
  "$GEN" --size "$bytes" --seed "$SEED" --format "$format" -o "$file.part" 2>/dev/null ||
    die "kubeblame-gen failed for $file"
  mv "$file.part" "$file"
  echo "$meta" >"$file.meta"
}

# compress RAW: RAW.gz with gzip -1 (pigz -1 when installed), unless cached for the same RAW.
compress() {
  local raw=$1 gz=$1.gz meta zip=(gzip -1)
  command -v pigz >/dev/null 2>&1 && zip=(pigz -1)
  meta="$(cat "$raw.meta") compressed=${zip[0]}-1"
  if [[ -f $gz && -f $gz.meta && $(cat "$gz.meta") == "$meta" ]]; then return 0; fi
  note "compressing ${raw#"$root"/} with ${zip[*]}"
  rm -f "$gz" "$gz.meta"
  "${zip[@]}" -c "$raw" >"$gz.part"
  mv "$gz.part" "$gz"
  echo "$meta" >"$gz.meta"
}

bytes_of() { stat -c %s "$1"; }

# cloudwatch RAW SHAPE OUT: RAW wrapped in an EKS CloudWatch shape (bench/cloudwatch_convert.py),
# unless cached for the same RAW and converter. OUT.meta ends with the shape's decompressed bytes.
cloudwatch() {
  local raw=$1 shape=$2 out=$3 meta written
  meta="$(cat "$raw.meta") shape=$shape converter=$(sha256sum "$here/cloudwatch_convert.py" | cut -c1-16)"
  if [[ -f $out && -f $out.meta && $(sed 's/ bytes=[0-9]*$//' "$out.meta") == "$meta" ]]; then return 0; fi
  check_space "$(($(bytes_of "$raw") * 3 / 2))"
  note "converting ${raw#"$root"/} to an EKS $shape input"
  rm -f "$out" "$out.meta"
  python3 "$here/cloudwatch_convert.py" "$shape" <"$raw" >"$out.part" 2>"$out.bytes" ||
    die "cloudwatch_convert.py $shape failed: $(cat "$out.bytes")"
  written=$(sed -n 's/^bytes=//p' "$out.bytes")
  rm -f "$out.bytes"
  mv "$out.part" "$out"
  echo "$meta bytes=$written" >"$out.meta"
}
shape_bytes() { sed -n 's/.* bytes=\([0-9]*\)$/\1/p' "$1.meta"; }
# gke_array RAW: RAW.gke.json, the GKE gcloud array of RAW's requests, unless cached for the same RAW.
gke_array() {
  local raw=$1 out=$1.gke.json meta
  meta="$(cat "$raw.meta") converted=bench/gke_array.py-$(sha256sum "$root/bench/gke_array.py" "$root/samples/gke/generate.py" | sha256sum | cut -c1-12)"
  if [[ -f $out && -f $out.meta && $(cat "$out.meta") == "$meta" ]]; then return 0; fi
  note "converting ${raw#"$root"/} to a GKE gcloud array"
  rm -f "$out" "$out.meta"
  python3 "$root/bench/gke_array.py" "$raw" "$out.part" || die "bench/gke_array.py failed for $raw"
  mv "$out.part" "$out"
  echo "$meta" >"$out.meta"
}

raw="$data/audit-$(to_label "$size_bytes")-seed$SEED.jsonl"
az="$data/aks-$(to_label "$az_bytes")-seed$SEED.json"
small="$data/audit-$(to_label "$small_bytes")-seed$SEED.jsonl"
slice_file="$data/audit-$(to_label "$slice_bytes")-seed$SEED.jsonl"  # same seed: a prefix of raw
big_file="$data/audit-4G-seed$SEED.jsonl"
generate "$raw" audit "$size_bytes"
compress "$raw"
gz="$raw.gz"
gke_array "$raw"
gke="$raw.gke.json"
generate "$az" aks-az-json "$az_bytes"
generate "$small" audit "$small_bytes"
generate "$slice_file" audit "$slice_bytes"
((big == 0)) || generate "$big_file" audit "$big_bytes"
need python3 python3
# The raw events in the Azure shapes the generator writes (--size counts the raw lines: the same
# events as $raw).
eventlist="$raw.eventlist.json"
eventhub="$raw.eventhub.json"
storage="$raw.storage-PT1H.json"
generate "$eventlist" eventlist "$size_bytes"
generate "$eventhub" eventhub "$size_bytes"
generate "$storage" storage-pt1h "$size_bytes"
# ... and as AKSAudit rows (RequestReceived events left out, as AKS's audit policy does).
aks_az="$raw.aksaudit-az.json"
aks_rest="$raw.aksaudit-rest.json"
aks_csv="$raw.aksaudit.csv"
generate "$aks_az" aksaudit-az-json "$size_bytes"
generate "$aks_rest" aksaudit-rest "$size_bytes"
generate "$aks_csv" aksaudit-csv "$size_bytes"
cwl="$raw.filter-log-events.json"
firehose="$raw.firehose.gz"
cloudwatch "$raw" filter-log-events "$cwl"
cloudwatch "$raw" firehose "$firehose"

raw_b=$(bytes_of "$raw")

# ---------------------------------------------------------------------------------------------
# Before timing: DuckDB's rows must equal kubeblame's, and kubeblame must give the same rows
# however it reads the input (file, -j 1, stdin, gzip).

TOP=("$KB" top --by "$BY" --top 0 --format csv)
note "checking DuckDB's rows against kubeblame's on ${raw#"$root"/}"
"$KB" top --by "$BY" --top 0 --format json "$raw" >"$tmp/kb.json" || die "kubeblame top failed on $raw"
"${DUCK[@]}" --check "$tmp/kb.json" --out "$tmp/duck.csv" "$raw" 2>"$tmp/check.err" || {
  cat "$tmp/check.err" >&2
  die "DuckDB's rows differ from kubeblame's (above): fix that before timing anything"
}
duck_check=$(grep 'rows equal' "$tmp/check.err")
note "${duck_check#duckdb_top: }"
read -r n_lines n_events n_requests < <(jq -r '[.input.lines, .input.events, .input.requests] | @tsv' "$tmp/kb.json")

"${TOP[@]}" "$raw" >"$tmp/file.csv"
"${TOP[@]}" -j 1 "$raw" >"$tmp/j1.csv"
"${TOP[@]}" - <"$raw" >"$tmp/stdin.csv"
"${TOP[@]}" "$gz" >"$tmp/gz.csv"
"${TOP[@]}" "$cwl" >"$tmp/cwl.csv"
"${TOP[@]}" "$firehose" >"$tmp/firehose.csv"
"${TOP[@]}" "$eventlist" >"$tmp/eventlist.csv"
"${TOP[@]}" "$eventhub" >"$tmp/eventhub.csv"
"${TOP[@]}" "$storage" >"$tmp/storage.csv"
for variant in j1 stdin gz cwl firehose eventlist eventhub storage; do
  cmp -s "$tmp/file.csv" "$tmp/$variant.csv" ||
    die "kubeblame's rows for the $variant run differ from the file run: diff $tmp/file.csv $tmp/$variant.csv"
done
"${DUCK[@]}" --check "$tmp/kb.json" --out /dev/null "$gz" 2>"$tmp/check-gz.err" || {
  cat "$tmp/check-gz.err" >&2
  die "DuckDB's rows on the gzip input differ from kubeblame's"
}

# The AKSAudit shapes hold no RequestReceived events: their reference is the raw lines without
# them. az and REST must give its rows byte for byte; the portal CSV keeps milliseconds only, so
# its groups and counts must be the same and its latencies within 1 ms (+2% for the sketch).
grep -vF '"stage":"RequestReceived"' "$raw" | "${TOP[@]}" - >"$tmp/aks-ref.csv"
grep -vF '"stage":"RequestReceived"' "$raw" | "$KB" top --by "$BY" --top 0 --format json - >"$tmp/aks-ref.json"
"${TOP[@]}" "$aks_az" >"$tmp/aks-az.csv"
"${TOP[@]}" "$aks_rest" >"$tmp/aks-rest.csv"
for variant in aks-az aks-rest; do
  cmp -s "$tmp/aks-ref.csv" "$tmp/$variant.csv" ||
    die "kubeblame's rows for the $variant run differ from the raw lines without RequestReceived: diff $tmp/aks-ref.csv $tmp/$variant.csv"
done
"$KB" top --by "$BY" --top 0 --format json "$aks_csv" >"$tmp/aks-csv.json"
csv_diffs=$(jq -rn --slurpfile ref "$tmp/aks-ref.json" --slurpfile csv "$tmp/aks-csv.json" '
  def rows(doc): doc.rows | map({key: (.key | tojson), value: .}) | from_entries;
  def close(a; b): (a == null and b == null) or
    (a != null and b != null and ((a - b) | fabs) <= 1 + 0.02 * ([a, b] | max));
  rows($ref[0]) as $r | rows($csv[0]) as $c
  | ($r | keys) as $keys
  | if $keys != ($c | keys) then "the groups differ"
    else $keys[] as $k | $r[$k] as $x | $c[$k] as $y
      | select(any("requests", "errors", "watches", "throttled", "traced"; $x[.] != $y[.])
               or any("p50_ms", "p95_ms", "p99_ms", "max_ms"; close($x[.]; $y[.]) | not))
      | "\($k): \($x | tojson) vs \($y | tojson)"
    end' | head -5)
[[ -z $csv_diffs ]] || die "kubeblame's rows for the portal CSV differ from the raw lines without RequestReceived:
$csv_diffs"
aks_ref_note="the raw lines without RequestReceived give the file's rows"
cmp -s "$tmp/file.csv" "$tmp/aks-ref.csv" ||
  aks_ref_note="the raw lines without RequestReceived give other rows than the file (diff $tmp/file.csv $tmp/aks-ref.csv)"
note "AKSAudit az -o json and REST give the same rows as the raw lines without RequestReceived, the portal CSV the same counts; $aks_ref_note"
"${DUCK[@]}" --az --check "$tmp/kb.json" --out /dev/null "$aks_az" 2>"$tmp/check-az.err" || {
  cat "$tmp/check-az.err" >&2
  die "DuckDB's rows on the AKSAudit az array differ from kubeblame's"
}
note "kubeblame gives the same rows for file, -j 1, stdin, gzip, the Azure and the EKS shapes; DuckDB agrees on the gzip input and the az array too"

# Reports being built by other issues: time them when this build has them.
optional=()
skipped_notes=()
for sub in errors fights report; do
  if "$KB" --help 2>/dev/null | grep -qE "^[[:space:]]+$sub([[:space:]]|$)"; then
    rc=0
    "$KB" "$sub" "$raw" >/dev/null 2>"$tmp/$sub.err" || rc=$?
    if ((rc == 0)); then
      optional+=("$sub")
    else
      skipped_notes+=("\`kubeblame $sub\` failed on the raw input (exit $rc), row skipped: $(head -c 200 "$tmp/$sub.err" | tr '\n' ' ')")
    fi
  else
    skipped_notes+=("\`kubeblame $sub\`: not in this build (\`kubeblame --help\` does not list it), row skipped")
  fi
done

if ((prepare)); then
  note "inputs ready in ${data#"$root"/} and rows checked; run again without --prepare on a quiet machine to time"
  exit 0
fi

# ---------------------------------------------------------------------------------------------
# Timed runs. Each run re-reads its input into the page cache first; each round runs every case
# (A/B alternation), starting one case later than the previous round.

cases=(kb_top duck kb_j1 kb_stdin pipe kb_gz duck_gz kb_az kb_aks_az duck_aks_az kb_aks_rest kb_aks_csv
  kb_eventlist kb_eventhub kb_storage kb_cwl kb_firehose kb_gke)
for sub in "${optional[@]}"; do cases+=("kb_$sub"); done
cases+=(jq jq_count kb_small)
((big == 0)) || cases+=(kb_big)

declare -A walls=() cpus=() rss=() label=() input=() bytes=()
duck_query=() duck_startup=()
set_case() { label[$1]=$2 input[$1]=$3 bytes[$1]=$4; }
j=$(nproc)
set_case kb_top "kubeblame top --by $BY (-j $j, the default)" "raw" "$raw_b"
set_case duck "DuckDB read_json + GROUP BY, whole process (node)" "raw" "$raw_b"
set_case kb_j1 "kubeblame top --by $BY -j 1" "raw" "$raw_b"
set_case kb_stdin "kubeblame top, stdin (\`cat file \| kubeblame\`)" "raw" "$raw_b"
set_case pipe "the pipe alone: \`cat file \| kubeblame-pipe-drain\` (reads, parses nothing)" "raw" "$raw_b"
set_case kb_gz "kubeblame top, gzip -1 input" "gz" "$raw_b"
set_case duck_gz "DuckDB, gzip -1 input, whole process" "gz" "$raw_b"
set_case kb_az "kubeblame top, AKSAudit \`az -o json\` input" "az" "$(bytes_of "$az")"
set_case kb_aks_az "kubeblame top, AKSAudit \`az -o json\` of the same events" "aks_az" "$(bytes_of "$aks_az")"
set_case duck_aks_az "DuckDB read_json(format='array') + GROUP BY on that az array, whole process" "aks_az" "$(bytes_of "$aks_az")"
set_case kb_aks_rest "kubeblame top, AKSAudit query REST response of the same events" "aks_rest" "$(bytes_of "$aks_rest")"
set_case kb_aks_csv "kubeblame top, AKSAudit portal CSV export of the same events" "aks_csv" "$(bytes_of "$aks_csv")"
set_case kb_eventlist "kubeblame top, audit EventList of the same events" "eventlist" "$(bytes_of "$eventlist")"
set_case kb_eventhub "kubeblame top, Event Hub \`records\` document of the same events" "eventhub" "$(bytes_of "$eventhub")"
set_case kb_storage "kubeblame top, Storage PT1H.json of the same events" "storage" "$(bytes_of "$storage")"
set_case kb_cwl "kubeblame top, EKS \`aws logs filter-log-events\` document" "cwl" "$(bytes_of "$cwl")"
set_case kb_firehose "kubeblame top, EKS Firehose object (gzip members, gzipped again)" "firehose" "$(shape_bytes "$firehose")"
set_case kb_gke "kubeblame top, GKE \`gcloud logging read --format=json\` array of the same requests" "gke" "$(bytes_of "$gke")"
set_case kb_errors "kubeblame errors" "raw" "$raw_b"
set_case kb_fights "kubeblame fights" "raw" "$raw_b"
set_case kb_report "kubeblame report (every report, one pass)" "raw" "$raw_b"
set_case jq "jq -r .userAgent \| sort \| uniq -c" "slice" "$(bytes_of "$slice_file")"
set_case jq_count "jq counting in jq (\`reduce inputs\`)" "slice" "$(bytes_of "$slice_file")"
set_case kb_small "kubeblame top, $(to_label "$small_bytes") input (RSS check)" "small" "$(bytes_of "$small")"
big_b=0
((big == 0)) || big_b=$(bytes_of "$big_file")
set_case kb_big "kubeblame top, 4G input (RSS check)" "big" "$big_b"

file_of() {
  case $1 in
    raw) echo "$raw" ;;
    gz) echo "$gz" ;;
    az) echo "$az" ;;
    cwl) echo "$cwl" ;;
    eventlist) echo "$eventlist" ;;
    aks_az) echo "$aks_az" ;;
    aks_rest) echo "$aks_rest" ;;
    aks_csv) echo "$aks_csv" ;;
    eventhub) echo "$eventhub" ;;
    storage) echo "$storage" ;;
    firehose) echo "$firehose" ;;
    gke) echo "$gke" ;;
    slice) echo "$slice_file" ;;
    small) echo "$small" ;;
    big) echo "$big_file" ;;
  esac
}

# timed CASE COMMAND...: runs COMMAND (stdout discarded) under GNU time; adds the wall time (s)
# to walls[CASE] and the user+sys CPU time (s) to cpus[CASE], and keeps the largest peak RSS
# (KiB) in rss[CASE].
timed() {
  local id=$1 start end rc=0
  shift
  start=$EPOCHREALTIME
  "$TIME" -f '%M %U %S' -o "$tmp/rss" "$@" >/dev/null 2>"$tmp/stderr" || rc=$?
  end=$EPOCHREALTIME
  ((rc == 0)) || die "${label[$id]} failed (exit $rc): $(tail -3 "$tmp/stderr")"
  record_run "$id" "$start" "$end"
}
record_run() {  # record_run CASE START END
  local kib user sys
  walls[$1]+="$(awk -v a="$2" -v b="$3" 'BEGIN { printf "%.4f", b - a }') "
  read -r kib user sys < <(tail -1 "$tmp/rss")
  [[ $kib =~ ^[0-9]+$ ]] || die "no peak RSS for ${label[$1]}"
  [[ $user =~ ^[0-9.]+$ && $sys =~ ^[0-9.]+$ ]] || die "no CPU time for ${label[$1]}"
  cpus[$1]+="$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }') "
  ((kib <= ${rss[$1]:-0})) || rss[$1]=$kib
}

run_case() {
  local id=$1 file start end rc=0
  file=$(file_of "${input[$id]}")
  cat "$file" >/dev/null  # warm the page cache
  case $id in
    kb_top | kb_gz | kb_az | kb_aks_az | kb_aks_rest | kb_aks_csv | kb_eventlist | kb_eventhub | kb_storage | kb_cwl | kb_firehose | kb_gke | kb_small | kb_big)
      timed "$id" "${TOP[@]}" "$file"
      ;;
    kb_j1) timed "$id" "${TOP[@]}" -j 1 "$file" ;;
    duck_aks_az) timed "$id" "${DUCK[@]}" --az --out /dev/null "$file" ;;
    kb_errors | kb_fights | kb_report) timed "$id" "$KB" "${id#kb_}" "$file" ;;
    duck | duck_gz)
      timed "$id" "${DUCK[@]}" --out /dev/null "$file"
      if [[ $id == duck ]]; then
        duck_startup+=("$(sed -n 's/.*startup_ms=\([0-9.]*\).*/\1/p' "$tmp/stderr")")
        duck_query+=("$(sed -n 's/.*query_ms=\([0-9.]*\).*/\1/p' "$tmp/stderr")")
      fi
      ;;
    kb_stdin)
      start=$EPOCHREALTIME
      # shellcheck disable=SC2002  # the case measured is exactly a pipe from another process
      cat "$file" | "$TIME" -f '%M %U %S' -o "$tmp/rss" "${TOP[@]}" - >/dev/null 2>"$tmp/stderr" || rc=$?
      end=$EPOCHREALTIME
      ((rc == 0)) || die "${label[$id]} failed (exit $rc): $(tail -3 "$tmp/stderr")"
      record_run "$id" "$start" "$end"
      ;;
    pipe)
      start=$EPOCHREALTIME
      # shellcheck disable=SC2002  # as kb_stdin, without the parsing
      cat "$file" | "$TIME" -f '%M %U %S' -o "$tmp/rss" "$DRAIN" >"$tmp/drained" 2>"$tmp/stderr" || rc=$?
      end=$EPOCHREALTIME
      ((rc == 0)) || die "${label[$id]} failed (exit $rc): $(tail -3 "$tmp/stderr")"
      [[ $(cat "$tmp/drained") == "${bytes[$id]}" ]] || die "kubeblame-pipe-drain read $(cat "$tmp/drained") bytes, not ${bytes[$id]}"
      record_run "$id" "$start" "$end"
      ;;
    jq)
      start=$EPOCHREALTIME
      "$TIME" -f '%M %U %S' -o "$tmp/rss" jq -r .userAgent "$file" 2>"$tmp/stderr" | LC_ALL=C sort | uniq -c >/dev/null || rc=$?
      end=$EPOCHREALTIME
      ((rc == 0)) || die "jq failed (exit $rc): $(tail -3 "$tmp/stderr")"
      record_run "$id" "$start" "$end"
      ;;
    jq_count)
      # The count done by jq itself: one object of counts per user agent.
      start=$EPOCHREALTIME
      "$TIME" -f '%M %U %S' -o "$tmp/rss" jq -n 'reduce inputs as $e ({}; .[$e.userAgent // "(none)"] += 1)' "$file" \
        >/dev/null 2>"$tmp/stderr" || rc=$?
      end=$EPOCHREALTIME
      ((rc == 0)) || die "jq failed (exit $rc): $(tail -3 "$tmp/stderr")"
      record_run "$id" "$start" "$end"
      ;;
    *) die "unknown case $id" ;;
  esac
}

note "timing ${#cases[@]} cases x $rounds rounds (load average $(load1))"
for ((r = 0; r < rounds; r++)); do
  for ((k = 0; k < ${#cases[@]}; k++)); do
    run_case "${cases[(k + r) % ${#cases[@]}]}"
  done
  note "  round $((r + 1))/$rounds done (load average $(load1))"
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------------------------------------
# Results

median() { tr ' ' '\n' | awk 'NF' | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
minmax() { tr ' ' '\n' | awk 'NF' | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.3f-%.3f", lo, hi }'; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }  # calc FORMAT EXPRESSION
holds() { awk "BEGIN { exit !($1) }"; }         # holds CONDITION
verdict() { if holds "$1"; then echo PASS; else echo FAIL; fi; }
# ratio A B -> A / B with 2 decimals, or n/a when either is 0 (a CPU time under GNU time's 10 ms)
ratio() { awk "BEGIN { a = $1; b = $2; if (a == 0 || b == 0) print \"n/a\"; else printf \"%.2f\", a / b }"; }

declare -A med=() cpu_med=()
for id in "${cases[@]}"; do
  med[$id]=$(median <<<"${walls[$id]}")
  cpu_med[$id]=$(median <<<"${cpus[$id]}")
done
q_med=$(printf '%s\n' "${duck_query[@]}" | median)
s_med=$(printf '%s\n' "${duck_startup[@]}" | median)
q_s=$(calc %.4f "$q_med / 1000")
s_s=$(calc %.4f "$s_med / 1000")

gb() { calc %.2f "$1 / $2 / 1e9"; }    # gb BYTES SECONDS -> GB/s
mb() { calc %.1f "$1 * 1024 / 1e6"; }  # mb KIB -> MB

human() {  # human BYTES -> "1.07 GB", "105 MB", "5.2 MB"
  awk -v b="$1" 'BEGIN { if (b >= 1e9) printf "%.2f GB", b / 1e9; else if (b >= 1e8) printf "%.0f MB", b / 1e6; else printf "%.1f MB", b / 1e6 }'
}
input_desc() {
  case $1 in
    raw) echo "raw JSONL $(human "$raw_b")" ;;
    gz) echo "gzip $(human "$(bytes_of "$gz")") (raw $(human "$raw_b"))" ;;
    az) echo "az -o json $(human "$(bytes_of "$az")")" ;;
    cwl) echo "JSON document $(human "$(bytes_of "$cwl")") (the raw events)" ;;
    eventlist) echo "JSON document $(human "$(bytes_of "$eventlist")") (the raw events)" ;;
    aks_az) echo "az -o json $(human "$(bytes_of "$aks_az")") (the raw events but RequestReceived)" ;;
    aks_rest) echo "REST JSON $(human "$(bytes_of "$aks_rest")") (the raw events but RequestReceived)" ;;
    aks_csv) echo "portal CSV $(human "$(bytes_of "$aks_csv")") (the raw events but RequestReceived)" ;;
    eventhub) echo "JSON document $(human "$(bytes_of "$eventhub")") (the raw events)" ;;
    storage) echo "JSON lines $(human "$(bytes_of "$storage")") (the raw events)" ;;
    firehose) echo "gzip $(human "$(bytes_of "$firehose")") (documents $(human "$(shape_bytes "$firehose")"); the raw events)" ;;
    gke) echo "gcloud array $(human "$(bytes_of "$gke")")" ;;
    slice) echo "first $(human "$(bytes_of "$slice_file")") of raw" ;;
    small) echo "raw JSONL $(human "$(bytes_of "$small")")" ;;
    big) echo "raw JSONL $(human "$big_b")" ;;
  esac
}

{
  echo "| case | input | wall (median of $rounds) | min-max | CPU user+sys (median) | GB/s | peak RSS | vs DuckDB |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  for id in "${cases[@]}"; do
    vs=""
    case $id in
      kb_top | kb_j1 | kb_stdin | duck) vs=$(calc %.2f "${med[$id]} / ${med[duck]}") ;;
      kb_gz | duck_gz) vs=$(calc %.2f "${med[$id]} / ${med[duck_gz]}") ;;
      kb_aks_az | duck_aks_az) vs=$(calc %.2f "${med[$id]} / ${med[duck_aks_az]}") ;;
      kb_gke) vs="GB/s $(calc %.2f "(${bytes[kb_gke]} / ${med[kb_gke]}) / ($raw_b / ${med[kb_top]})")x raw lines'" ;;
    esac
    echo "| ${label[$id]} | $(input_desc "${input[$id]}") | $(calc %.3f "${med[$id]}") s | $(minmax <<<"${walls[$id]}") | $(calc %.2f "${cpu_med[$id]}") s | $(gb "${bytes[$id]}" "${med[$id]}") | $(mb "${rss[$id]}") MB | $vs |"
    if [[ $id == duck ]]; then
      echo "| DuckDB query only (start-up not counted) | $(input_desc raw) | $(calc %.3f "$q_s") s | | | $(gb "$raw_b" "$q_s") | | $(calc %.2f "${med[kb_top]} / $q_s") (kubeblame top / query) |"
      echo "| DuckDB start-up only (node, load DuckDB, open a database) | | $(calc %.3f "$s_s") s | | | | | |"
    fi
  done
} >"$tmp/table.md"

# Targets of issue #5 (the ratio uses whole processes for both tools, as a user experiences them).
kb_max_rss=0
for id in "${cases[@]}"; do
  [[ $id == kb_* ]] || continue
  ((${rss[$id]} <= kb_max_rss)) || kb_max_rss=${rss[$id]}
done
ratio=$(calc %.2f "${med[kb_top]} / ${med[duck]}")
stdin_ratio=$(calc %.2f "${med[kb_stdin]} / ${med[kb_top]}")
jq_gbs=$(calc %.6f "${bytes[jq]} / ${med[jq]} / 1e9")
kb_gbs=$(calc %.6f "$raw_b / ${med[kb_top]} / 1e9")
jq_ratio=$(calc %.0f "$kb_gbs / $jq_gbs")
jq_count_gbs=$(calc %.6f "${bytes[jq_count]} / ${med[jq_count]} / 1e9")
jq_count_ratio=$(calc %.0f "$kb_gbs / $jq_count_gbs")
flat_big=${rss[kb_top]}
flat_desc="$(mb "${rss[kb_small]}") MB at $(to_label "$small_bytes") -> $(mb "${rss[kb_top]}") MB at $(to_label "$size_bytes")"
if ((big)); then
  ((rss[kb_big] <= flat_big)) || flat_big=${rss[kb_big]}
  flat_desc+=" -> $(mb "${rss[kb_big]}") MB at 4G"
fi
{
  echo "| target (issue #5) | measured | goal | result |"
  echo "| --- | --- | --- | --- |"
  echo "| \`top\` vs DuckDB, whole processes | $ratio (query only: $(calc %.2f "${med[kb_top]} / $q_s")) | <= 0.50 | $(verdict "$ratio <= 0.5") |"
  if [[ -n ${med[kb_report]:-} ]]; then
    rr=$(calc %.2f "${med[kb_report]} / ${med[kb_top]}")
    echo "| \`report\` vs \`top\` | $rr | <= 1.5 | $(verdict "$rr <= 1.5") |"
  else
    echo "| \`report\` vs \`top\` | no \`report\` subcommand in this build | <= 1.5 | n/a |"
  fi
  echo "| stdin vs file | $stdin_ratio | <= 1.2 | $(verdict "$stdin_ratio <= 1.2") |"
  echo "| the pipe alone (\`cat file \| kubeblame-pipe-drain\`) vs kubeblame's whole file run | $(calc %.2f "${med[pipe]} / ${med[kb_top]}") | (information: the floor under stdin) | |"
  echo "| \`top\` vs jq counting in jq (\`reduce\`), GB/s | ${jq_count_ratio}x ($(calc %.2f "$kb_gbs") vs $(calc %.3f "$jq_count_gbs") GB/s) | >= 40x | $(verdict "$jq_count_ratio >= 40") |"
  echo "| \`top\` vs \`jq -r \| sort \| uniq -c\` (jq extracts, coreutils count), GB/s | ${jq_ratio}x ($(calc %.3f "$jq_gbs") GB/s) | (information) | |"
  echo "| peak RSS, every kubeblame run | $(mb "$kb_max_rss") MB at most | < 100 MB | $(verdict "$kb_max_rss * 1024 < 100e6") |"
  echo "| peak RSS flat with input size | $flat_desc | <= 1.5x the small input's | $(verdict "$flat_big <= 1.5 * ${rss[kb_small]}") |"
  for id in kb_eventlist kb_eventhub kb_storage kb_cwl kb_firehose; do
    shape_gbs=$(calc %.6f "${bytes[$id]} / ${med[$id]} / 1e9")
    echo "| ${label[$id]#kubeblame top, } vs raw lines, GB/s on its own decompressed bytes | $(calc %.2f "$shape_gbs") vs $(calc %.2f "$kb_gbs") GB/s: $(calc %.2f "$shape_gbs / $kb_gbs")x; wall $(calc %.2f "${med[$id]} / ${med[kb_top]}")x raw's | (information) | |"
  done
  # Issue 19's targets for the AKSAudit shapes of the same events (GB/s on each one's own bytes,
  # against the raw lines'); CPU: bytes per CPU-second against the raw lines', for loaded machines.
  for id in kb_aks_az kb_aks_rest kb_aks_csv; do
    goal=0.75
    [[ $id != kb_aks_csv ]] || goal=0.6
    shape_gbs=$(calc %.6f "${bytes[$id]} / ${med[$id]} / 1e9")
    shape_ratio=$(calc %.2f "$shape_gbs / $kb_gbs")
    cpu_ratio=$(ratio "${bytes[$id]} * ${cpu_med[kb_top]}" "$raw_b * ${cpu_med[$id]}")
    echo "| ${label[$id]#kubeblame top, } vs raw lines, GB/s on its own bytes | $(calc %.2f "$shape_gbs") vs $(calc %.2f "$kb_gbs") GB/s: ${shape_ratio}x; per CPU-second ${cpu_ratio}x | >= ${goal}x (issue 19) | $(verdict "$shape_ratio >= $goal") |"
  done
  echo "| kubeblame top vs DuckDB on the az array, whole processes | wall $(calc %.2f "${med[kb_aks_az]} / ${med[duck_aks_az]}"), CPU $(ratio "${cpu_med[kb_aks_az]}" "${cpu_med[duck_aks_az]}") | (information: the peer figure) | |"
  echo "| \`-j 1\` -> \`-j $j\` speed-up | $(calc %.2f "${med[kb_j1]} / ${med[kb_top]}")x | (information) | |"
} >"$tmp/targets.md"

# Pads the cells of a markdown table so that it also reads well in a terminal.
pretty() {
  awk -F'|' '
    { gsub(/\\\|/, "\001"); n = NF  # an escaped pipe inside a cell is not a column separator
      for (i = 2; i < NF; i++) { c = $i; gsub(/^ +| +$/, "", c); gsub(/\001/, "\\|", c); cell[NR, i] = c
        if (c ~ /^-+:$/) right[i] = 1
        w = length(c); if (w > width[i]) width[i] = w } }
    END { for (r = 1; r <= NR; r++) { line = "|"
        for (i = 2; i < n; i++) { c = cell[r, i]
          if (c ~ /^-+:?$/) { d = ""; for (k = 0; k < width[i]; k++) d = d "-"; if (c ~ /:$/) d = substr(d, 2) ":"; c = d }
          line = line sprintf(" %" (right[i] ? "" : "-") width[i] "s |", c) }
        print line } }' "$1"
}


if [[ ${#skipped_notes[@]} -gt 0 ]]; then
  printf '%s\n' "${skipped_notes[@]/#/- }" >"$tmp/notes.md"
else
  : >"$tmp/notes.md"
fi
echo
pretty "$tmp/table.md"
echo
pretty "$tmp/targets.md"
echo
echo "DuckDB check: ${duck_check#duckdb_top: }"
echo "Inputs: $n_lines lines, $n_events events, $n_requests requests in the raw input (seed $SEED);" \
  "GB/s = 10^9 bytes of uncompressed input per second; MB = 10^6 bytes; load average $load_start -> $load_end."
if ((self_check)); then
  echo "- self-check: the script works end to end; at these sizes start-up dominates, so the targets mean nothing" >>"$tmp/notes.md"
elif awk -v l="${load_start%% *}" 'BEGIN { exit !(l >= 1.5) }'; then
  # Only the load before the first run tells about other work: the runs themselves keep every
  # core busy and push the load towards the number of cores.
  echo "- warning: the machine was busy before the runs (load average $load_start on $j cores): run again on a quiet machine for numbers to quote" >>"$tmp/notes.md"
fi
[[ ! -s $tmp/notes.md ]] || cat "$tmp/notes.md"

# ---------------------------------------------------------------------------------------------
# --record: a dated section in bench/results.md, newest first (above the previous sections).

if ((record)); then
  cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
  ram=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
  commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
  if [[ -n $(git -C "$root" status --porcelain -- src include CMakeLists.txt bench 2>/dev/null) ]]; then
    commit+=" + uncommitted changes"
  fi
  api_version=$(node -p "require('$node_dir/node_modules/@duckdb/node-api/package.json').version")
  gzip_tool=$(sed -n 's/.*compressed=//p' "$gz.meta")
  {
    echo "## $(date -u +%F) — \`bench/run.sh --size $(to_label "$size_bytes") --rounds $rounds\` (commit $commit)"
    echo
    echo "Machine: $cpu, $(nproc) cores (nproc), $ram RAM, Linux $(uname -r); load average $load_start at the start, $load_end at the end."
    echo "Versions: $("$KB" --version) (${build#"$root"/}), DuckDB $duck_version (@duckdb/node-api $api_version, node $(node --version)), $(jq --version), $(gzip --version | head -1)."
    echo "Inputs: \`kubeblame-gen --seed $SEED\` (output fingerprint $fp_audit): raw $raw_b B ($n_lines lines, $n_events events, $n_requests requests), its $gzip_tool copy $(bytes_of "$gz") B, AKSAudit \`az -o json\` $(bytes_of "$az") B, the raw events but RequestReceived as AKSAudit az -o json $(bytes_of "$aks_az") B, REST $(bytes_of "$aks_rest") B and portal CSV $(bytes_of "$aks_csv") B, jq on the first $(bytes_of "$slice_file") B. Page cache warmed (\`cat file > /dev/null\`) before every run; the cases alternate in each round; medians."
    echo "DuckDB check: ${duck_check#duckdb_top: }."
    echo
    cat "$tmp/table.md"
    echo
    cat "$tmp/targets.md"
    [[ ! -s $tmp/notes.md ]] || { echo; cat "$tmp/notes.md"; }
    echo
  } >"$tmp/section.md"
  awk -v section="$tmp/section.md" '
    !done && /^## / { while ((getline line < section) > 0) print line; done = 1 }
    { print }
    END { if (!done) { print ""; while ((getline line < section) > 0) print line } }' "$results" >"$tmp/results.md"
  cp "$tmp/results.md" "$results"
  note "recorded in ${results#"$root"/}"
fi
