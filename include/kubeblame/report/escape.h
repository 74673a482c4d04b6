// Escaping of input-derived strings for each output format. Every string that came from the
// input is hostile: it may hold terminal escape sequences, invalid UTF-8, markdown or CSV
// formula syntax.
#pragma once

#include <string>
#include <string_view>

namespace kubeblame::report {

// Terminal: invalid UTF-8 becomes U+FFFD; C0/C1 controls, DEL and bidirectional overrides
// become visible escapes (\x1b, \u202e), so nothing reaches the terminal as a control.
std::string escape_terminal(std::string_view text);

// Markdown table cell: terminal-safe, plus `|`, backticks, `*`, `_`, `[`, `]`, `<`, `>`, `\`
// and a leading `#`/`>` escaped so the text renders as itself.
std::string escape_markdown(std::string_view text);

// HTML text or attribute value (also inside inline SVG): terminal-safe as above, then & < > " '
// as character references, so nothing from the input can open a tag, end an attribute or
// reach the page as a control character.
std::string escape_html(std::string_view text);
// escape_html plus <wbr> after each '.', '/', ':' and '@', so long names (resources, service
// accounts, object paths) wrap at their separators in a narrow table cell.
std::string escape_html_breakable(std::string_view text);
// The same for multi-line text (a YAML hint in <pre>): each line escaped, newlines kept.
std::string escape_html_lines(std::string_view text);

// JSON string body (without quotes): always valid UTF-8, controls as \u00XX.
void append_json_string(std::string& out, std::string_view text);

// CSV cell per RFC 4180 (quoted when needed, quotes doubled), with a `'` prefix on cells that
// start with = + - @ tab or CR so spreadsheets do not run them as formulas.
std::string escape_csv(std::string_view text);

}  // namespace kubeblame::report
