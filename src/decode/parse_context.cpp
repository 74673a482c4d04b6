// Parsing helpers shared by all JSON decoders.
#include "kubeblame/decode/parse_context.h"

#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace kubeblame::decode {

namespace {
constexpr std::size_t kArenaBlock = std::size_t{64} * 1024;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Whether data[0, size) holds a '\\'. Audit strings are short, so this inlines 16-byte SSE2
// compares instead of calling memchr. It may read up to 15 bytes past `size`: callers pass
// views into a parser buffer that has SIMDJSON_PADDING readable bytes after the record.
bool has_backslash(const char* data, std::size_t size) {
#if defined(__SSE2__)
  const __m128i backslash = _mm_set1_epi8('\\');
  for (std::size_t i = 0; i < size; i += 16) {
    __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + i));
    unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(block, backslash)));
    std::size_t left = size - i;
    if (left < 16) mask &= (1u << left) - 1;
    if (mask != 0) return true;
  }
  return false;
#else
  return std::memchr(data, '\\', size) != nullptr;
#endif
}
}  // namespace

std::string_view StringArena::keep(std::string_view text) {
  if (text.empty()) return {};
  while (current_ < blocks_.size() && used_ + text.size() > sizes_[current_]) {
    ++current_;
    used_ = 0;
  }
  if (current_ == blocks_.size()) {
    std::size_t size = std::max(kArenaBlock, text.size());
    blocks_.push_back(std::make_unique<char[]>(size));
    sizes_.push_back(size);
  }
  char* dst = blocks_[current_].get() + used_;
  std::memcpy(dst, text.data(), text.size());
  used_ += text.size();
  return {dst, text.size()};
}

void StringArena::reset() {
  current_ = 0;
  used_ = 0;
}

SkipReason skip_reason_for(simdjson::error_code error) {
  switch (error) {
    case simdjson::UNCLOSED_STRING:
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
    case simdjson::EMPTY:
      return SkipReason::kTruncated;
    default:
      return SkipReason::kMalformedJson;
  }
}

bool repair_utf8(std::string_view text, std::string& out) {
  out.clear();
  bool changed = false;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    }
    bool ok = len != 0 && i + len <= n;
    for (std::size_t k = 1; ok && k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) ok = false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (ok) {
      // Reject overlong forms, surrogates and values past U+10FFFF.
      static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
      ok = cp >= kMin[len] && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    }
    if (ok) {
      out.append(text.data() + i, len);
      i += len;
    } else {
      out.append("\xEF\xBF\xBD");
      changed = true;
      ++i;
    }
  }
  return changed;
}

simdjson::simdjson_result<simdjson::ondemand::document> ParseContext::parse(const Record& record) {
  auto doc = parser_.iterate(record.data, record.size, record.padded_size);
  if (doc.error() != simdjson::UTF8_ERROR) return doc;
  repair_utf8({record.data, record.size}, repaired_);
  std::size_t size = repaired_.size();
  repaired_.append(simdjson::SIMDJSON_PADDING, ' ');
  return parser_.iterate(repaired_.data(), size, repaired_.size());
}

simdjson::simdjson_result<simdjson::ondemand::document> ParseContext::parse_inner(
    std::string_view text) {
  std::size_t length = text.size();
  inner_text_.assign(text);  // `text` may be a view into inner_text_: not used after this
  inner_text_.append(simdjson::SIMDJSON_PADDING, ' ');
  auto doc = inner_parser_.iterate(inner_text_.data(), length, inner_text_.size());
  if (doc.error() != simdjson::UTF8_ERROR) return doc;
  // Rare: no separate validation pass over every column for it.
  std::string repaired;
  repair_utf8(std::string_view(inner_text_.data(), length), repaired);
  inner_text_ = std::move(repaired);
  std::size_t size = inner_text_.size();
  inner_text_.append(simdjson::SIMDJSON_PADDING, ' ');
  return inner_parser_.iterate(inner_text_.data(), size, inner_text_.size());
}

simdjson::error_code read_text(simdjson::ondemand::value& value, std::string_view& out) {
  out = {};
  simdjson::ondemand::json_type type;
  if (auto error = value.type().get(type)) return error;
  switch (type) {
    case simdjson::ondemand::json_type::string: {
      // Most audit strings hold no escape: view them in place instead of having simdjson copy
      // them into its string buffer. The token runs from the opening quote to the next
      // structural character, so its last quote closes the string (the record was validated
      // and UTF-8-repaired before parsing) and one vectorised memchr finds any escape.
      std::string_view token = value.raw_json_token();
      simdjson::ondemand::raw_json_string raw;
      if (auto error = value.get_raw_json_string().get(raw)) return error;
      std::size_t end = token.size();
      while (end > 1 && is_space(token[end - 1])) --end;
      if (end >= 2 && token[end - 1] == '"') {
        std::string_view content = token.substr(1, end - 2);
        if (!has_backslash(content.data(), content.size())) {
          out = content;
          return simdjson::SUCCESS;
        }
      }
      return value.get_string().get(out);
    }
    case simdjson::ondemand::json_type::number:
    case simdjson::ondemand::json_type::boolean:
      out = trim(value.raw_json_token());
      return simdjson::SUCCESS;
    case simdjson::ondemand::json_type::null:
    case simdjson::ondemand::json_type::object:
    case simdjson::ondemand::json_type::array:
      return simdjson::SUCCESS;
  }
  return simdjson::SUCCESS;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace kubeblame::decode
