// The output formats a report renders to, and how the command line names them.
#pragma once

#include <optional>
#include <string_view>

namespace kubeblame::report {

// kHtml is a whole document: only `kubeblame report` renders it (the CLI refuses it elsewhere).
enum class OutputFormat { kTable, kMarkdown, kJson, kCsv, kHtml };

std::optional<OutputFormat> parse_output_format(std::string_view name);

}  // namespace kubeblame::report
