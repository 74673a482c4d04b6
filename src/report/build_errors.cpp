// The errors report: the merged ErrorTable's signatures ranked by count, with their codes,
// first/last, example and top callers.
#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "kubeblame/analyze/dimension.h"
#include "kubeblame/analyze/errors/error_table.h"
#include "kubeblame/report/build.h"

namespace kubeblame::report {

namespace {

using analyze::ErrorTable;
using analyze::kMaxCallerPairs;
using analyze::kOtherCallers;
using analyze::kOtherSignatures;

ErrorRow make_row(const ErrorTable& table, const ErrorTable::Entry& e,
                          std::size_t max_callers) {
  ErrorRow row;
  row.signature = table.text(e.signature);
  row.source = e.audit ? "audit" : "apiserver-log";
  if (!e.audit) {
    row.component = table.text(e.component);
    row.level = model::log_level_name(e.level);
  }
  row.count = e.count;
  std::vector<ErrorTable::CodeCount> codes = e.codes;
  std::sort(codes.begin(), codes.end(),
            [](const auto& a, const auto& b) { return a.code < b.code; });
  for (const auto& c : codes) row.codes.emplace_back(std::to_string(c.code), c.count);
  if (e.first != 0) row.first = e.first;
  if (e.last != 0) row.last = e.last;
  row.example = e.example;
  std::vector<ErrorCaller> callers;
  callers.reserve(e.callers.size() + 1);
  for (const auto& c : e.callers) {
    std::string_view impersonated = table.text(c.impersonated);
    callers.push_back({std::string(table.text(c.agent)), std::string(table.text(c.user)),
                       std::string(impersonated), impersonated != analyze::kNone, c.count});
  }
  if (e.other_callers > 0) {
    callers.push_back({std::string(kOtherCallers), std::string(kOtherCallers),
                       std::string(kOtherCallers), false, e.other_callers});
  }
  std::sort(callers.begin(), callers.end(), [](const auto& a, const auto& b) {
    if (a.count != b.count) return a.count > b.count;
    return std::tie(a.agent, a.user, a.impersonated_user) <
           std::tie(b.agent, b.user, b.impersonated_user);
  });
  if (callers.size() > max_callers) callers.resize(max_callers);
  row.callers = std::move(callers);
  return row;
}

}  // namespace

ErrorsReport build_errors(const analyze::ErrorTable& errors, const InputSummary& input, std::size_t top) {
  const analyze::ErrorOptions& options = errors.options();
  const analyze::ErrorTable* table = &errors;
  ErrorsReport report;
  report.levels = analyze::level_list(options.min_level);
  report.top = top;
  report.input = input;
  const auto& entries = table->entries();
  std::vector<std::uint32_t> order;
  order.reserve(entries.size());
  for (std::uint32_t i = 0; i < entries.size(); ++i) {
    if (entries[i].count > 0) order.push_back(i);
  }
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    const auto& x = entries[a];
    const auto& y = entries[b];
    if (x.count != y.count) return x.count > y.count;
    if (int c = table->text(x.signature).compare(table->text(y.signature)); c != 0) return c < 0;
    if (x.audit != y.audit) return x.audit;
    if (int c = table->text(x.component).compare(table->text(y.component)); c != 0) return c < 0;
    return x.level > y.level;  // one message at two levels: the higher level first
  });
  for (std::size_t i = 0; i < order.size(); ++i) {
    const auto& e = entries[order[i]];
    report.total += e.count;
    if (top == 0 || i < top) {
      report.rows.push_back(make_row(*table, e, options.max_callers));
    } else {
      ++report.other_rows;
      report.other_count += e.count;
    }
  }
  if (table->signatures_overflowed()) {
    report.input.warnings.push_back(
        "more than " + std::to_string(options.max_signatures) +
        " distinct error signatures: the rest are counted in the \"" +
        std::string(kOtherSignatures) + "\" row (which ones may vary with -j)");
  }
  if (std::uint64_t n = table->callers_overflowed(); n > 0) {
    report.input.warnings.push_back(
        std::to_string(n) + " error signature" + (n == 1 ? "" : "s") + " had more than " +
        std::to_string(kMaxCallerPairs) + " distinct callers: the rest are counted as \"" +
        std::string(kOtherCallers) + "\" (which ones may vary with -j)");
  }
  return report;
}

}  // namespace kubeblame::report
