// kubeblame kql result rows: the marker, the dimension columns, and the group's counts and
// latency parts. A row with a cell that is missing, not a number where a
// number belongs, negative, or a histogram that is not an object of whole counts summing to
// latency_n is bad; nothing is guessed.
#include "kubeblame/decode/kql_result.h"

#include <algorithm>
#include <charconv>
#include <optional>

#include "kubeblame/decode/timestamp.h"

namespace kubeblame::decode {
namespace ondemand = simdjson::ondemand;

namespace {

constexpr std::string_view kTopV1 = "top/v1";
constexpr std::string_view kTimelineV1 = "timeline/v1";
constexpr std::size_t kNotFound = static_cast<std::size_t>(-1);

bool is_null(std::string_view text) { return text.empty() || text == "None" || text == "null"; }

std::string_view column_name(std::string_view name) {
  constexpr std::string_view kUtc = " [UTC]";
  if (name.size() > kUtc.size() && name.substr(name.size() - kUtc.size()) == kUtc) {
    name.remove_suffix(kUtc.size());
  }
  return name;
}

// A whole number >= 0 ("1,234" is not one: exports print plain digits).
std::optional<std::int64_t> whole(std::string_view text) {
  text = trim(text);
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || ptr != end || value < 0) return std::nullopt;
  return value;
}

class Cells {
 public:
  Cells(std::span<const std::string_view> names, std::span<const std::string_view> cells)
      : names_(names), cells_(cells) {}
  std::size_t find(std::string_view name) const {
    for (std::size_t i = 0; i < names_.size() && i < cells_.size(); ++i) {
      if (column_name(names_[i]) == name) return i;
    }
    return kNotFound;
  }
  // The cell of column `name`; nullopt when the row has no such column.
  std::optional<std::string_view> cell(std::string_view name) const {
    std::size_t i = find(name);
    if (i == kNotFound) return std::nullopt;
    return trim(cells_[i]);
  }
  std::string_view name(std::size_t i) const { return column_name(names_[i]); }
  std::string_view at(std::size_t i) const { return cells_[i]; }

 private:
  std::span<const std::string_view> names_;
  std::span<const std::string_view> cells_;
};

// A required whole-number column; `null_value` stands for a null cell when given.
bool read_count(const Cells& cells, std::string_view name, std::int64_t& out,
                std::optional<std::int64_t> null_value = std::nullopt) {
  std::optional<std::string_view> text = cells.cell(name);
  if (!text) return false;
  if (is_null(*text)) {
    if (!null_value) return false;
    out = *null_value;
    return true;
  }
  std::optional<std::int64_t> value = whole(*text);
  if (!value) return false;
  out = *value;
  return true;
}

bool read_time(const Cells& cells, std::string_view name, model::TimeNs& out) {
  std::optional<std::string_view> text = cells.cell(name);
  return text && !is_null(*text) && parse_timestamp(*text, out);
}

// A histogram count: a whole number, or one quoted.
bool read_bucket_count(ondemand::value value, std::optional<std::int64_t>& out) {
  ondemand::json_type type;
  if (value.type().get(type)) return false;
  std::int64_t number = 0;
  std::string_view text;
  if (type == ondemand::json_type::number) {
    if (value.get_int64().get(number) || number < 0) return false;
    out = number;
  } else if (type == ondemand::json_type::string) {
    if (value.get_string().get(text)) return false;
    out = whole(text);
  }
  return true;
}

bool read_histogram(std::string_view json, ParseContext& context, model::WeightedGroup& out) {
  out.histogram.clear();
  if (is_null(json)) return true;
  ondemand::document doc;
  ondemand::object object;
  if (context.parse_inner(json).get(doc) || doc.get_object().get(object)) return false;
  for (auto field : object) {
    if (field.error()) return false;
    ondemand::field& f = field.value_unsafe();
    std::string_view key;
    std::optional<std::int64_t> count;
    if (f.unescaped_key().get(key) || !read_bucket_count(f.value(), count) || !count) return false;
    std::optional<std::int64_t> bucket = whole(key);
    if (!bucket || *bucket > UINT32_MAX) return false;
    out.histogram.emplace_back(static_cast<std::uint32_t>(*bucket),
                               static_cast<std::uint64_t>(*count));
  }
  return true;
}

// A value of exact_us: a number, or a list of numbers (one list per bucket).
bool read_exact_value(ondemand::value value, std::vector<std::int64_t>& out) {
  ondemand::json_type type;
  if (value.type().get(type)) return false;
  if (type == ondemand::json_type::array) {
    for (auto element : value.get_array()) {
      std::int64_t v = 0;
      if (element.get_int64().get(v) || v < 0) return false;
      out.push_back(v);
    }
    return true;
  }
  std::int64_t v = 0;
  if (value.get_int64().get(v) || v < 0) return false;
  out.push_back(v);
  return true;
}

bool read_exact(std::string_view json, ParseContext& context, model::WeightedGroup& out) {
  out.exact_us.clear();
  if (is_null(json)) return true;
  ondemand::document doc;
  ondemand::array array;
  if (context.parse_inner(json).get(doc) || doc.get_array().get(array)) return false;
  for (auto element : array) {
    ondemand::value value;
    if (element.get(value) || !read_exact_value(value, out.exact_us)) return false;
  }
  return true;
}

bool read_counts(const Cells& cells, model::WeightedGroup& out) {
  std::int64_t requests = 0, errors = 0, watches = 0, latency_n = 0;
  if (!read_count(cells, "requests", requests) || !read_count(cells, "errors", errors) ||
      !read_count(cells, "watches", watches) || !read_count(cells, "latency_n", latency_n) ||
      !read_count(cells, "cost_ns", out.cost_ns, 0) ||
      !read_count(cells, "min_us", out.min_us, -1) ||
      !read_count(cells, "max_ns", out.max_ns, -1)) {
    return false;
  }
  out.requests = static_cast<std::uint64_t>(requests);
  out.errors = static_cast<std::uint64_t>(errors);
  out.watches = static_cast<std::uint64_t>(watches);
  out.latency_n = static_cast<std::uint64_t>(latency_n);
  bool no_latency = out.latency_n == 0;
  if (no_latency != (out.min_us < 0) || no_latency != (out.max_ns < 0)) return false;
  return out.errors <= out.requests && out.watches <= out.requests && out.latency_n <= out.requests;
}

bool read_latency(const Cells& cells, ParseContext& context, model::WeightedGroup& out) {
  std::optional<std::string_view> histogram = cells.cell("histogram");
  std::optional<std::string_view> exact = cells.cell("exact_us");
  if (!histogram || !exact || !read_histogram(*histogram, context, out)) return false;
  std::uint64_t sum = 0;
  for (const auto& [bucket, count] : out.histogram) sum += count;
  if (sum != out.latency_n) return false;
  // Above 64 latencies the query keeps only buckets, like the local sketch. (The group is
  // reused from row to row: the previous row's values must not stay.)
  if (out.latency_n > 64) {
    out.exact_us.clear();
    return is_null(*exact);
  }
  return read_exact(*exact, context, out) && out.exact_us.size() == out.latency_n;
}

// The columns of a result that are not dimensions (az adds TableName).
bool is_result_column(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      "kubeblame", "requests", "errors", "watches",   "cost_ns",  "latency_n",  "min_us",
      "max_ns",    "first",    "last",   "histogram", "exact_us", "interval_s", "TableName"};
  for (std::string_view known : kNames) {
    if (name == known) return true;
  }
  return false;
}

// The dimension columns: every other column, in column order (the query puts them between the
// marker and `requests`; az -o json sorts the keys); a timeline's `time` is its bucket.
bool read_keys(const Cells& cells, std::size_t columns, model::WeightedGroup& out) {
  out.dimensions.clear();
  bool timeline = out.kind == model::WeightedGroup::Kind::kTimeline;
  for (std::size_t i = 0; i < columns; ++i) {
    std::string_view name = cells.name(i);
    if (is_result_column(name) || (timeline && name == "time")) continue;
    out.dimensions.emplace_back(name, cells.at(i));
  }
  if (!timeline) return true;
  return read_time(cells, "time", out.time) && read_count(cells, "interval_s", out.interval_s) &&
         out.interval_s > 0;
}

}  // namespace

ResultRow parse_result_row(std::span<const std::string_view> names,
                           std::span<const std::string_view> cells, ParseContext& context,
                           model::WeightedGroup& out) {
  Cells row(names, cells);
  std::optional<std::string_view> marker = row.cell("kubeblame");
  if (!marker) return ResultRow::kBad;
  if (*marker == kTopV1) {
    out.kind = model::WeightedGroup::Kind::kTop;
  } else if (*marker == kTimelineV1) {
    out.kind = model::WeightedGroup::Kind::kTimeline;
  } else {
    bool versioned = marker->substr(0, 4) == "top/" || marker->substr(0, 9) == "timeline/";
    return versioned ? ResultRow::kUnknownVersion : ResultRow::kBad;
  }
  out.time = 0;
  out.interval_s = 0;
  if (!read_keys(row, std::min(names.size(), cells.size()), out) || !read_counts(row, out) ||
      !read_time(row, "first", out.first) || !read_time(row, "last", out.last) ||
      out.first > out.last || !read_latency(row, context, out)) {
    return ResultRow::kBad;
  }
  return ResultRow::kOk;
}

}  // namespace kubeblame::decode
