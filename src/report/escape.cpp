// Escaping. All escapers first walk the text as UTF-8 code points, replacing invalid sequences
// with U+FFFD, so no renderer ever emits invalid UTF-8.
#include "kubeblame/report/escape.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace kubeblame::report {

namespace {

constexpr std::uint32_t kReplacement = 0xFFFD;

// Decodes one code point at `i`; returns its byte length (invalid input: cp = U+FFFD, 1 byte).
std::size_t next_code_point(std::string_view s, std::size_t i, std::uint32_t& cp) {
  auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    cp = c;
    return 1;
  }
  std::size_t len = 0;
  std::uint32_t value = 0;
  if ((c & 0xE0) == 0xC0) {
    len = 2;
    value = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    value = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    value = c & 0x07;
  } else {
    cp = kReplacement;
    return 1;
  }
  if (i + len > s.size()) {
    cp = kReplacement;
    return 1;
  }
  for (std::size_t k = 1; k < len; ++k) {
    auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      cp = kReplacement;
      return 1;
    }
    value = (value << 6) | (b & 0x3F);
  }
  static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (value < kMin[len] || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
    cp = kReplacement;
    return 1;
  }
  cp = value;
  return len;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool is_control(std::uint32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0);
}

// Bidirectional embedding/override/isolate controls ("Trojan Source") and zero-width marks.
bool is_invisible_format(std::uint32_t cp) {
  return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

template <typename Fn>
void for_each_code_point(std::string_view text, Fn&& fn) {
  std::size_t i = 0;
  while (i < text.size()) {
    std::uint32_t cp;
    std::size_t len = next_code_point(text, i, cp);
    fn(cp);
    i += len;
  }
}

void append_visible_escape(std::string& out, std::uint32_t cp) {
  char buf[16];
  if (cp < 0x100) {
    std::snprintf(buf, sizeof(buf), "\\x%02x", cp);
  } else {
    std::snprintf(buf, sizeof(buf), "\\u%04x", cp);
  }
  out += buf;
}

}  // namespace

std::string escape_terminal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for_each_code_point(text, [&](std::uint32_t cp) {
    if (is_control(cp) || is_invisible_format(cp)) {
      append_visible_escape(out, cp);
    } else {
      append_utf8(out, cp);
    }
  });
  return out;
}

std::string escape_markdown(std::string_view text) {
  std::string safe = escape_terminal(text);
  std::string out;
  out.reserve(safe.size() + 8);
  for (std::size_t i = 0; i < safe.size(); ++i) {
    char c = safe[i];
    switch (c) {
      case '|':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '\\':
      case '~':
        out.push_back('\\');
        out.push_back(c);
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '#':
        if (i == 0) out.push_back('\\');
        out.push_back(c);
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string escape_html(std::string_view text) {
  std::string safe = escape_terminal(text);
  std::string out;
  out.reserve(safe.size() + 8);
  for (char c : safe) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string escape_html_breakable(std::string_view text) {
  std::string escaped = escape_html(text);
  std::string out;
  out.reserve(escaped.size() + 16);
  for (char c : escaped) {
    out.push_back(c);
    // Entities from escape_html hold none of these, so a break never lands inside one.
    if (c == '.' || c == '/' || c == ':' || c == '@') out += "<wbr>";
  }
  return out;
}

std::string escape_html_lines(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = std::min(text.find('\n', start), text.size());
    if (start > 0) out.push_back('\n');
    out += escape_html(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

void append_json_string(std::string& out, std::string_view text) {
  for_each_code_point(text, [&](std::uint32_t cp) {
    switch (cp) {
      case '"': out += "\\\""; return;
      case '\\': out += "\\\\"; return;
      case '\n': out += "\\n"; return;
      case '\r': out += "\\r"; return;
      case '\t': out += "\\t"; return;
      default: break;
    }
    if (cp < 0x20 || cp == 0x7F || is_invisible_format(cp) || (cp >= 0x80 && cp < 0xA0)) {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\u%04x", cp);
      out += buf;
    } else {
      append_utf8(out, cp);
    }
  });
}

std::string escape_csv(std::string_view text) {
  std::string cell;
  cell.reserve(text.size() + 2);
  for_each_code_point(text, [&](std::uint32_t cp) {
    if (is_invisible_format(cp) || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
        cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
      append_visible_escape(cell, cp);
    } else {
      append_utf8(cell, cp);
    }
  });
  if (!cell.empty()) {
    char first = cell.front();
    if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' ||
        first == '\r') {
      cell.insert(cell.begin(), '\'');
    }
  }
  bool quote = cell.find_first_of(",\"\n\r") != std::string::npos;
  if (!quote) return cell;
  std::string out = "\"";
  for (char c : cell) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace kubeblame::report
