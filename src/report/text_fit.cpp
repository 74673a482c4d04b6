// Terminal text fitting. Widths follow the East Asian Width property for the common wide
// blocks (CJK, Hangul, fullwidth forms, emoji) and treat combining marks as zero-width; the
// rest is one column per code point. fit_columns shrinks one rank of columns at a time with a
// "water level": every column of the rank wider than the level is cut to it (never below its
// minimum), the level being the highest that removes enough; the columns cut to the level then
// get back the columns removed in excess, left to right.
#include "kubeblame/report/text_fit.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <utility>

namespace kubeblame::report {

namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // …

bool continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The code point at `i` and its length in bytes (a stray byte: itself, length 1).
std::pair<std::uint32_t, std::size_t> decode_at(std::string_view s, std::size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  std::size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
  std::uint32_t cp = len == 1 ? c : c & (0x7F >> len);
  for (std::size_t k = 1; k < len; ++k) {
    if (i + k >= s.size() || !continuation(s[i + k])) return {c, 1};
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  }
  return {cp, len};
}

constexpr std::array<std::pair<std::uint32_t, std::uint32_t>, 22> kWide = {{
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},
    {0x25FD, 0x25FE},   {0x2614, 0x2615},   {0x2E80, 0x303E},   {0x3041, 0x33FF},
    {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},   {0xA960, 0xA97F},
    {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},
    {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F}, {0x1F680, 0x1F6FF},
    {0x1F900, 0x1F9FF}, {0x20000, 0x3FFFD},
}};

constexpr std::array<std::pair<std::uint32_t, std::uint32_t>, 6> kZeroWidth = {{
    {0x0300, 0x036F}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF},
    {0x20D0, 0x20FF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F},
}};

template <std::size_t N>
bool in_ranges(const std::array<std::pair<std::uint32_t, std::uint32_t>, N>& ranges, std::uint32_t cp) {
  return std::any_of(ranges.begin(), ranges.end(),
                     [cp](const auto& range) { return cp >= range.first && cp <= range.second; });
}

std::size_t code_point_width(std::uint32_t cp) {
  if (cp < 0x300) return 1;
  if (in_ranges(kZeroWidth, cp)) return 0;
  return in_ranges(kWide, cp) ? 2 : 1;
}

// Bytes of the longest prefix of `text` at most `width` columns wide, and its width.
std::pair<std::size_t, std::size_t> prefix_fitting(std::string_view text, std::size_t width) {
  std::size_t i = 0;
  std::size_t used = 0;
  while (i < text.size()) {
    auto [cp, len] = decode_at(text, i);
    std::size_t w = code_point_width(cp);
    if (used + w > width) break;
    used += w;
    i += len;
  }
  return {i, used};
}

// Byte offset where the longest suffix of `text` at most `width` columns wide starts.
std::size_t suffix_start(std::string_view text, std::size_t width) {
  std::size_t start = text.size();
  std::size_t used = 0;
  while (start > 0) {
    std::size_t i = start - 1;
    while (i > 0 && start - i < 4 && continuation(text[i])) --i;
    auto [cp, len] = decode_at(text, i);
    if (i + len != start) {  // a stray continuation byte: one column on its own
      cp = static_cast<unsigned char>(text[start - 1]);
      i = start - 1;
    }
    std::size_t w = code_point_width(cp);
    if (used + w > width) break;
    used += w;
    start = i;
  }
  return start;
}

}  // namespace

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size();) {
    auto [cp, len] = decode_at(text, i);
    width += code_point_width(cp);
    i += len;
  }
  return width;
}

std::string shorten_end(std::string_view text, std::size_t width) {
  if (display_width(text) <= width) return std::string(text);
  if (width == 0) return {};
  return std::string(text.substr(0, prefix_fitting(text, width - 1).first)) + std::string(kEllipsis);
}

std::string shorten_start(std::string_view text, std::size_t width) {
  if (display_width(text) <= width) return std::string(text);
  if (width == 0) return {};
  return std::string(kEllipsis) + std::string(text.substr(suffix_start(text, width - 1)));
}

std::string shorten_middle(std::string_view text, std::size_t width) {
  if (display_width(text) <= width) return std::string(text);
  if (width == 0) return {};
  std::size_t room = width - 1;
  auto [head_bytes, head_width] = prefix_fitting(text, (room + 1) / 2);
  std::size_t tail = std::max(suffix_start(text, room - head_width), head_bytes);
  return std::string(text.substr(0, head_bytes)) + std::string(kEllipsis) + std::string(text.substr(tail));
}

std::vector<std::string> wrap_words(std::string_view text, std::size_t width, std::size_t indent) {
  if (width == 0 || display_width(text) <= width) return {std::string(text)};
  if (indent >= width) indent = 0;
  std::vector<std::string> lines;
  std::string line;
  std::size_t used = 0;
  bool has_word = false;
  auto break_line = [&] {
    while (!line.empty() && line.back() == ' ') line.pop_back();
    lines.push_back(std::move(line));
    line.assign(indent, ' ');
    used = indent;
    has_word = false;
  };
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t word_start = std::min(text.find_first_not_of(' ', pos), text.size());
    std::size_t word_end = std::min(text.find(' ', word_start), text.size());
    std::size_t spaces = word_start - pos;
    std::string_view word = text.substr(word_start, word_end - word_start);
    pos = word_end;
    if (word.empty()) break;  // trailing spaces
    std::size_t word_width = display_width(word);
    if (has_word && used + spaces + word_width > width) {
      break_line();
    } else if (has_word || lines.empty()) {
      line.append(spaces, ' ');
      used += spaces;
    }
    // A word wider than what is left of an empty line is split, at least one code point per
    // line so that a wide character in a one-column room still moves on.
    while (used + word_width > width) {
      auto [bytes, w] = prefix_fitting(word, used < width ? width - used : 0);
      if (bytes == 0) {
        bytes = decode_at(word, 0).second;
        w = display_width(word.substr(0, bytes));
      }
      line.append(word.substr(0, bytes));
      word.remove_prefix(bytes);
      word_width -= w;
      break_line();
    }
    if (word.empty()) continue;
    line.append(word);
    used += word_width;
    has_word = true;
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  if (has_word || lines.empty()) lines.push_back(std::move(line));
  return lines;
}

std::vector<std::string> wrap_parts(std::string_view text, std::size_t width, std::size_t indent,
                                    std::string_view separator) {
  if (width == 0 || display_width(text) <= width || separator.empty()) return wrap_words(text, width, indent);
  if (indent >= width) indent = 0;
  std::string_view mark = separator.substr(0, separator.find_last_not_of(' ') + 1);  // " ·"
  std::vector<std::string> lines;
  std::string line;
  std::size_t used = 0;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = std::min(text.find(separator, start), text.size());
    std::string part(text.substr(start, end - start));
    if (end < text.size()) part += mark;
    start = end < text.size() ? end + separator.size() : end;
    std::size_t part_width = display_width(part);
    if (!line.empty() && used + 1 + part_width <= width) {
      line += ' ' + part;
      used += 1 + part_width;
      continue;
    }
    if (!line.empty()) lines.push_back(std::move(line));
    std::string lead(lines.empty() ? 0 : indent, ' ');
    std::vector<std::string> pieces = wrap_words(lead + part, width, indent);
    line = std::move(pieces.back());
    pieces.pop_back();
    for (std::string& piece : pieces) lines.push_back(std::move(piece));
    used = display_width(line);
  }
  if (!line.empty()) lines.push_back(std::move(line));
  return lines;
}

std::size_t row_width(const std::vector<std::size_t>& widths, std::size_t gap) {
  std::size_t total = 0;
  for (std::size_t w : widths) total += w;
  return widths.empty() ? 0 : total + gap * (widths.size() - 1);
}

namespace {

// Columns removed from the columns of `rank` if each is cut to `level` (not below its minimum).
std::size_t removed_at(const std::vector<FitColumn>& columns, const std::vector<std::size_t>& widths, int rank,
                       std::size_t level) {
  std::size_t removed = 0;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].rank != rank) continue;
    std::size_t floor = std::max(columns[i].min, level);
    if (widths[i] > floor) removed += widths[i] - floor;
  }
  return removed;
}

// Shrinks the columns of `rank` by up to `excess` columns; returns how many it removed.
std::size_t shrink_rank(const std::vector<FitColumn>& columns, std::vector<std::size_t>& widths, int rank,
                        std::size_t excess) {
  std::size_t low = 0;
  std::size_t high = *std::max_element(widths.begin(), widths.end());
  if (removed_at(columns, widths, rank, 0) < excess) high = 0;
  // The highest level that removes at least `excess` (level 0 when even that is not enough).
  while (low < high) {
    std::size_t mid = low + (high - low + 1) / 2;
    if (removed_at(columns, widths, rank, mid) >= excess) {
      low = mid;
    } else {
      high = mid - 1;
    }
  }
  std::size_t removed = removed_at(columns, widths, rank, low);
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].rank != rank) continue;
    std::size_t floor = std::max(columns[i].min, low);
    bool cut = widths[i] > floor;
    if (cut) widths[i] = floor;
    if (cut && removed > excess && floor == low) {  // give back what the level took too much
      ++widths[i];
      --removed;
    }
  }
  return removed;
}

}  // namespace

std::vector<std::size_t> fit_columns(const std::vector<FitColumn>& columns, std::size_t gap,
                                     std::size_t total) {
  std::vector<std::size_t> widths;
  widths.reserve(columns.size());
  for (const FitColumn& column : columns) widths.push_back(column.width);
  std::size_t natural = row_width(widths, gap);
  if (total == 0 || natural <= total) return widths;
  std::size_t excess = natural - total;
  std::vector<int> ranks;
  ranks.reserve(columns.size());
  for (const FitColumn& column : columns) ranks.push_back(column.rank);
  std::sort(ranks.begin(), ranks.end());
  ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());
  for (int rank : ranks) {
    if (excess == 0) break;
    excess -= shrink_rank(columns, widths, rank, excess);
  }
  return widths;
}

}  // namespace kubeblame::report
