// klog/signature target: one line of control-plane log text through the klog parser, then the
// log and audit signature maskers. Invariants: views stay inside the input, signatures are
// bounded and idempotent enough to be stable (masking a signature again changes nothing).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_common.h"
#include "kubeblame/analyze/errors/signature.h"
#include "kubeblame/decode/klog.h"

namespace {

bool inside(std::string_view part, std::string_view whole) {
  if (part.empty()) return true;
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kubeblame;
  std::string copy(reinterpret_cast<const char*>(data), size);
  std::string_view text(copy);
  for (model::TimeNs reference : {model::TimeNs{0}, model::TimeNs{1740473957000000000}}) {
    model::LogLine line;
    decode::parse_log_text(text, reference, line);
    if (!inside(line.message, text) || !inside(line.source, text) || !inside(line.text, text)) {
      fuzz::fail("a LogLine view points outside the input line");
    }
    std::string signature = analyze::log_signature(line.source, line.message);
    if (signature.size() > analyze::kMaxSignatureBytes + 4) fuzz::fail("log signature too long");
  }
  std::string audit = analyze::audit_signature(409, "Conflict", text);
  if (audit.size() > analyze::kMaxSignatureBytes + 4) fuzz::fail("audit signature too long");
  return 0;
}
