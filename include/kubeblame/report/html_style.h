// The inline stylesheet of the HTML report: colours as CSS variables with a dark variant
// (prefers-color-scheme), a print variant (light, page breaks, charts fitted to the paper),
// and the series palette used by the SVG charts and their legends.
#pragma once

#include <string_view>

namespace kubeblame::report {

std::string_view html_report_css();

}  // namespace kubeblame::report
