#!/usr/bin/env bash
# The output must be byte-identical for any thread count and any chunk size, down to 1 byte
# (chunk boundaries fall inside records, batches and CSV cells).
source "$(dirname "$0")/lib.sh"
bin=$1
inputs=(samples/formats samples/incident samples/damaged/audit-damaged.jsonl)
reference=$("$bin" top --by agent,verb,resource,code --top 0 -f json -j 1 "${inputs[@]}" 2>/dev/null)
expect_contains "reference run has rows" '"rows":[{' "$reference"
for threads in 1 2 8; do
  for chunk in 1 7 64 4K 1M; do
    # A 1-byte chunk makes every record its own chunk: keep that to the smaller inputs.
    if [ "$chunk" = 1 ] || [ "$chunk" = 7 ]; then set_inputs=(samples/formats samples/damaged/audit-damaged.jsonl); else set_inputs=("${inputs[@]}"); fi
    ref=$reference
    if [ "${#set_inputs[@]}" -ne "${#inputs[@]}" ]; then
      ref=$("$bin" top --by agent,verb,resource,code --top 0 -f json -j 1 "${set_inputs[@]}" 2>/dev/null)
    fi
    out=$("$bin" top --by agent,verb,resource,code --top 0 -f json -j "$threads" --chunk-size "$chunk" "${set_inputs[@]}" 2>/dev/null)
    if [ "$out" = "$ref" ]; then echo "ok   -j $threads --chunk-size $chunk"; else
      echo "FAIL -j $threads --chunk-size $chunk differs"; diff <(echo "$ref") <(echo "$out") | head -5; fail=1; fi
  done
done

# errors (audit and log-line signatures, examples, callers) and fights (write order, flips,
# contested fields) must not depend on how records were split between workers either.
for command in errors fights; do
  cmd_inputs=(samples/incident samples/controlplane samples/formats)
  [ "$command" = fights ] && [ -d samples/fights ] && cmd_inputs+=(samples/fights)
  cmd_ref=$("$bin" "$command" --top 0 -f json -j 1 "${cmd_inputs[@]}" 2>/dev/null)
  expect_contains "$command reference run has rows" '"rows":[{' "$cmd_ref"
  for threads in 2 8; do
    for chunk in 64 4K 1M; do
      out=$("$bin" "$command" --top 0 -f json -j "$threads" --chunk-size "$chunk" "${cmd_inputs[@]}" 2>/dev/null)
      if [ "$out" = "$cmd_ref" ]; then echo "ok   $command -j $threads --chunk-size $chunk"; else
        echo "FAIL $command -j $threads --chunk-size $chunk differs"; diff <(echo "$cmd_ref") <(echo "$out") | head -5; fail=1; fi
    done
  done
done

# timeline: workers coarsen their buckets by ladder steps while reading; the final interval and
# every count must not depend on the split (auto interval, an explicit one, several dimensions).
tl_inputs=(samples/incident samples/formats samples/fights/fight-without-bodies.jsonl)
for args in "--by agent" "--by agent,verb --interval 10m" "--by verb,code --top 0"; do
  tl_ref=$("$bin" timeline $args -f json -j 1 "${tl_inputs[@]}" 2>/dev/null)
  expect_contains "timeline $args reference run has series" '"series":[{' "$tl_ref"
  for threads in 2 8; do
    for chunk in 64 4K 1M; do
      out=$("$bin" timeline $args -f json -j "$threads" --chunk-size "$chunk" "${tl_inputs[@]}" 2>/dev/null)
      if [ "$out" = "$tl_ref" ]; then echo "ok   timeline $args -j $threads --chunk-size $chunk"; else
        echo "FAIL timeline $args -j $threads --chunk-size $chunk differs"; diff <(echo "$tl_ref") <(echo "$out") | head -5; fail=1; fi
    done
  done
done
finish
