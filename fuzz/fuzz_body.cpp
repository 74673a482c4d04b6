// Fights body-flattener target: any bytes as a write's request body (full object, merge patch,
// JSON Patch), for main-resource and status writes. Invariants: every leaf path is a jq path
// (starts with '.'), paths and values respect their length bounds, the leaf count respects
// max_leaves, and flattening the same body twice gives the same leaves (no state leaks between
// bodies).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fuzz_common.h"
#include "kubeblame/analyze/fights/body_flattener.h"

namespace {

using namespace kubeblame;

class CheckingSink : public analyze::LeafSink {
 public:
  explicit CheckingSink(const analyze::FlattenOptions& options) : options_(options) {}
  void on_leaf(std::string_view path, std::string_view value) override {
    if (path.empty() || path.front() != '.') fuzz::fail("leaf path does not start with '.'");
    // Cut paths and values end in "…" (3 bytes) after at most the bound.
    if (path.size() > options_.max_path_length + 3) fuzz::fail("leaf path over its bound");
    if (value.size() > options_.max_value_length + 3) fuzz::fail("leaf value over its bound");
    leaves.emplace_back(path, value);
  }
  std::vector<std::pair<std::string, std::string>> leaves;

 private:
  const analyze::FlattenOptions& options_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static analyze::BodyFlattener flattener;
  std::string body(reinterpret_cast<const char*>(data), size);
  for (bool status_write : {false, true}) {
    analyze::FlattenOptions options;
    options.status_write = status_write;
    options.max_leaves = 256;
    options.max_value_length = 40;
    options.max_path_length = 80;
    CheckingSink first(options);
    analyze::FlattenResult result = flattener.flatten(body, options, first);
    if (result.leaves != first.leaves.size()) fuzz::fail("leaves count differs from the sink's");
    if (first.leaves.size() > options.max_leaves) fuzz::fail("more leaves than max_leaves");
    if (result.kind == analyze::BodyKind::kInvalid && !first.leaves.empty()) {
      fuzz::fail("an invalid body produced leaves");
    }
    CheckingSink second(options);
    flattener.flatten(body, options, second);
    if (first.leaves != second.leaves) fuzz::fail("flattening is not deterministic");
    for (const auto& leaf : first.leaves) (void)analyze::jq_path_to_json_pointer(leaf.first);
  }
  return 0;
}
