// Shortening, wrapping and column fitting for the terminal: exact outputs for ASCII and
// multi-byte UTF-8, widths at and below the ellipsis, and code points never split.
#include <catch2/catch.hpp>

#include <string>

#include "kubeblame/report/text_fit.h"

namespace kubeblame::report {
namespace {

// Every result is valid UTF-8 made of whole code points of the input plus "…".
bool whole_code_points(const std::string& text) {
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || i + len > text.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

TEST_CASE("display_width: code points, wide glyphs 2, combining marks 0", "[report][text_fit]") {
  CHECK(display_width("") == 0);
  CHECK(display_width("abc") == 3);
  CHECK(display_width("café") == 4);
  CHECK(display_width("e\xCC\x81") == 1);       // e + combining acute
  CHECK(display_width("日本語") == 6);
  CHECK(display_width("\xEF\xBC\xA1") == 2);    // fullwidth A
  CHECK(display_width("\xF0\x9F\x9A\x80") == 2);  // rocket
  CHECK(display_width("→…▁█─×") == 6);
  CHECK(display_width("a\xFF" "b") == 3);       // a stray byte counts one column
  CHECK(display_width("\xE6\x97") == 2);        // a cut code point: two stray bytes
}

TEST_CASE("shorten_middle keeps both ends: argocd-app…controller", "[report][text_fit]") {
  CHECK(shorten_middle("argocd-application-controller", 21) == "argocd-app…controller");
  CHECK(shorten_middle("argocd-application-controller", 22) == "argocd-appl…controller");
  CHECK(shorten_middle("argocd-application-controller", 29) == "argocd-application-controller");
  CHECK(shorten_middle("argocd-application-controller", 28) == "argocd-applica…on-controller");
  CHECK(shorten_middle("abcdef", 5) == "ab…ef");
  CHECK(shorten_middle("abcdef", 4) == "ab…f");
  CHECK(shorten_middle("abcdef", 3) == "a…f");
  CHECK(shorten_middle("abcdef", 2) == "a…");
  CHECK(shorten_middle("abcdef", 1) == "…");
  CHECK(shorten_middle("abcdef", 0) == "");
  CHECK(shorten_middle("", 0) == "");
}

TEST_CASE("shorten_end and shorten_start cut one side", "[report][text_fit]") {
  CHECK(shorten_end("kube-controller-manager", 10) == "kube-cont…");
  CHECK(shorten_end("exactly", 7) == "exactly");
  CHECK(shorten_end("toolongtext", 5) == "tool…");
  CHECK(shorten_end("ab", 1) == "…");
  CHECK(shorten_end("ab", 0) == "");
  CHECK(shorten_start("ABABABAB", 5) == "…ABAB");
  CHECK(shorten_start("ABABABAB", 8) == "ABABABAB");
  CHECK(shorten_start("ab", 1) == "…");
  CHECK(shorten_start("ab", 0) == "");
}

TEST_CASE("shortening multi-byte UTF-8 never splits a code point", "[report][text_fit]") {
  CHECK(shorten_end("éééééé", 3) == "éé…");
  CHECK(shorten_start("éééééé", 3) == "…éé");
  CHECK(shorten_middle("αβγδεζηθ", 5) == "αβ…ηθ");
  // Wide glyphs take two columns: a width that ends inside one leaves the column empty.
  CHECK(shorten_end("日本語テキスト", 6) == "日本…");
  CHECK(display_width(shorten_end("日本語テキスト", 6)) == 5);
  CHECK(shorten_middle("日本語テキスト", 7) == "日…スト");
  CHECK(shorten_start("日本語テキスト", 4) == "…ト");
  CHECK(shorten_end("日本", 2) == "…");
  for (std::size_t width = 0; width <= 16; ++width) {
    for (const char* text : {"日本語テキスト", "αβγδεζηθ", "a\xF0\x9F\x9A\x80" "b\xF0\x9F\x9A\x80" "c", "e\xCC\x81" "e\xCC\x81" "e\xCC\x81" "xyz"}) {
      for (const std::string& out : {shorten_end(text, width), shorten_middle(text, width), shorten_start(text, width)}) {
        CHECK(display_width(out) <= width);
        CHECK(whole_code_points(out));
      }
    }
  }
}

TEST_CASE("wrap_words breaks at spaces, indents continuations", "[report][text_fit]") {
  using Lines = std::vector<std::string>;
  CHECK(wrap_words("short line", 80) == Lines{"short line"});
  CHECK(wrap_words("no width means one line however long", 0) == Lines{"no width means one line however long"});
  CHECK(wrap_words("events 2,220 · requests 2,021 · log lines 5", 20) ==
        Lines{"events 2,220 ·", "requests 2,021 · log", "lines 5"});
  CHECK(wrap_words("events 2,220 · requests 2,021 · log lines 5", 20, 2) ==
        Lines{"events 2,220 ·", "  requests 2,021 ·", "  log lines 5"});
  // Exactly the width fits; spaces at a break are dropped, inner runs of spaces kept.
  CHECK(wrap_words("abcde fghij", 5) == Lines{"abcde", "fghij"});
  CHECK(wrap_words("ab  cd   ef", 6) == Lines{"ab  cd", "ef"});
  CHECK(wrap_words("  lead then more words", 10) == Lines{"  lead", "then more", "words"});
  // A word longer than a line is split between code points.
  CHECK(wrap_words("see /var/log/kube-apiserver/audit.log now", 12, 2) ==
        Lines{"see", "  /var/log/k", "  ube-apiser", "  ver/audit.", "  log now"});
  CHECK(wrap_words("ééééé", 2) == Lines{"éé", "éé", "é"});
  CHECK(wrap_words("日本語", 3) == Lines{"日", "本", "語"});
  // One column and a wide glyph: it still moves on, one glyph per line.
  CHECK(wrap_words("日本", 1) == Lines{"日", "本"});
  // An indent that leaves no room is ignored.
  CHECK(wrap_words("aa bb", 2, 2) == Lines{"aa", "bb"});
  CHECK(wrap_words("trailing   ", 4) == Lines{"trai", "ling"});
}

TEST_CASE("fit_columns: lowest rank first, widest first, not below the minimum", "[report][text_fit]") {
  using Widths = std::vector<std::size_t>;
  std::vector<FitColumn> columns = {{30, 10, 0}, {20, 10, 0}, {8, 8, 0}, {40, 12, 1}};
  // Natural: 30+20+8+40 + 3 gaps of 2 = 104.
  CHECK(row_width({30, 20, 8, 40}, 2) == 104);
  CHECK(fit_columns(columns, 2, 0) == Widths{30, 20, 8, 40});
  CHECK(fit_columns(columns, 2, 104) == Widths{30, 20, 8, 40});
  CHECK(fit_columns(columns, 2, 94) == Widths{20, 20, 8, 40});   // the widest of rank 0 alone
  CHECK(fit_columns(columns, 2, 85) == Widths{16, 15, 8, 40});   // both to a level, the extra column left
  CHECK(fit_columns(columns, 2, 74) == Widths{10, 10, 8, 40});   // rank 0 at its minimums
  CHECK(fit_columns(columns, 2, 60) == Widths{10, 10, 8, 26});   // then rank 1
  CHECK(fit_columns(columns, 2, 20) == Widths{10, 10, 8, 12});   // everything at its minimum: too wide
  // A minimum above the natural width never grows a column.
  CHECK(fit_columns({{5, 10, 0}, {30, 4, 0}}, 2, 20) == Widths{5, 13});
}

}  // namespace
}  // namespace kubeblame::report
