// roff from the CLI11 definition. Each command's help footer is split into its examples (EXAMPLES)
// and its explanation (COMMANDS); options shared by every command are listed once.
#include "kubeblame/cli/man_page.h"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>
#include <vector>

namespace kubeblame::cli {

namespace {

// Text for roff: backslashes, control-word starts, option dashes and non-ASCII made safe.
std::string roff(const std::string& text, bool dashes) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    bool line_start = i == 0 || text[i - 1] == '\n';
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-' && dashes) {
      out += "\\-";
    } else if (c >= 0x80) {
      // Decode one UTF-8 sequence into \[uXXXX]; a stray byte becomes U+FFFD.
      int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
      unsigned code = c & (0x3F >> extra);
      bool valid = extra > 0 && i + static_cast<std::size_t>(extra) < text.size();
      for (int k = 1; valid && k <= extra; ++k) {
        auto next = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
        valid = (next & 0xC0) == 0x80;
        code = (code << 6) | (next & 0x3F);
      }
      if (!valid) code = 0xFFFD;
      else i += static_cast<std::size_t>(extra);
      out += fmt::format("\\[u{:04X}]", code);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::vector<const CLI::App*> commands(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App* sub) { return !sub->get_group().empty(); });
}

std::vector<const CLI::Option*> named_options(const CLI::App& command) {
  return command.get_options([](const CLI::Option* opt) { return opt->nonpositional(); });
}

// "\fB\-n\fR, \fB\-\-top\fR \fIN\fR"
std::string option_heading(const CLI::Option& opt) {
  std::vector<std::string> names;
  for (const std::string& s : opt.get_snames()) names.push_back("\\fB" + roff("-" + s, true) + "\\fR");
  for (const std::string& l : opt.get_lnames()) names.push_back("\\fB" + roff("--" + l, true) + "\\fR");
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  if (opt.get_expected_max() != 0) {
    out += " \\fI" + roff(opt.get_type_name().empty() ? "VALUE" : opt.get_type_name(), false) + "\\fR";
  }
  return out;
}

std::string option_entry(const CLI::Option& opt) {
  std::string text = opt.get_description();
  if (!opt.get_default_str().empty()) text += " (default: " + opt.get_default_str() + ")";
  return ".TP\n" + option_heading(opt) + "\n" + roff(text, false) + "\n";
}

// The commands that read inputs (those with --format): their shared options are listed once.
std::vector<const CLI::App*> input_commands(const CLI::App& app) {
  std::vector<const CLI::App*> out;
  for (const CLI::App* command : commands(app)) {
    if (command->get_option_no_throw("--format") != nullptr) {
      out.push_back(command);
    }
  }
  return out;
}

// An option every input-reading command has, with the same help text there.
bool is_common(const CLI::App& app, const CLI::Option& opt) {
  for (const CLI::App* command : input_commands(app)) {
    auto options = named_options(*command);
    bool found = std::any_of(options.begin(), options.end(), [&](const CLI::Option* other) {
      return other->get_name() == opt.get_name() && other->get_description() == opt.get_description();
    });
    if (!found) return false;
  }
  return true;
}

struct Footer {
  std::vector<std::string> examples;
  std::vector<std::string> prose;  // the explanation after the examples, without "Exit codes:"
};

Footer split_footer(const std::string& footer) {
  Footer out;
  std::istringstream lines(footer);
  std::string line;
  enum { kNone, kExamples, kProse, kExitCodes } state = kNone;
  while (std::getline(lines, line)) {
    if (line.empty()) {
      state = kNone;
    } else if (line == "Examples:") {
      state = kExamples;
    } else if (line.rfind("Exit codes:", 0) == 0) {
      state = kExitCodes;
    } else if (state == kExamples) {
      out.examples.push_back(line);
    } else if (state != kExitCodes) {
      state = kProse;
      out.prose.push_back(line);
    }
  }
  return out;
}

std::string examples_block(const std::vector<std::string>& examples) {
  std::string out = ".PP\n.nf\n";
  for (const std::string& line : examples) out += roff(line, true) + "\n";
  return out + ".fi\n";
}

std::string commands_section(const CLI::App& app) {
  std::string out = ".SH COMMANDS\n";
  for (const CLI::App* command : commands(app)) {
    out += ".TP\n.B " + command->get_name() + "\n" + roff(command->get_description(), false) + ".\n";
    Footer footer = split_footer(command->get_footer());
    if (!footer.prose.empty()) {
      std::string text;
      for (const std::string& line : footer.prose) text += (text.empty() ? "" : " ") + line;
      out += roff(text, false) + "\n";
    }
  }
  return out;
}

std::string options_section(const CLI::App& app) {
  auto readers = input_commands(app);
  std::string names;
  for (const CLI::App* command : readers) names += (names.empty() ? "" : ", ") + command->get_name();
  std::string out = ".SH OPTIONS\n.SS \"Common options (" + names + ")\"\n";
  if (!readers.empty()) {
    for (const CLI::Option* opt : named_options(*readers.front())) {
      if (is_common(app, *opt)) out += option_entry(*opt);
    }
  }
  for (const CLI::App* command : commands(app)) {
    out += ".SS \"kubeblame " + command->get_name() + "\"\n";
    for (const CLI::Option* opt : command->get_options()) {
      if (!opt->nonpositional() && opt->get_name(true) != "inputs") {
        out += ".TP\n\\fI" + roff(opt->get_type_name(), false) + "\\fR\n" + roff(opt->get_description(), false) + "\n";
      } else if (opt->nonpositional() && !is_common(app, *opt)) {
        out += option_entry(*opt);
      }
    }
  }
  return out;
}

constexpr const char* kTail = R"ROFF(.SH "EXIT STATUS"
.TP
.B 0
Success.
.TP
.B 1
No audit events (or, for errors and report, no control-plane log lines either) found, or none
left after the filters.
.TP
.B 2
Usage or I/O error.
.TP
.B 3
\fB\-\-strict\fR was given and records were skipped (malformed, truncated, too long).
.PP
A closed pipe (kubeblame ... | head) is a clean exit.
.SH ENVIRONMENT
.TP
.B NO_COLOR
When set to a non-empty value, \fB\-\-color auto\fR prints no colour (\fB\-\-color always\fR still does).
.TP
.B KUBEBLAME_REDACT_KEY
The key for \fB\-\-redact\fR when \fB\-\-redact\-key\fR is not given: the same key gives the same
hashes in every run.
.TP
.B KUBEBLAME_GZIP
\fBzlib\fR inflates gzip input with zlib instead of ISA-L (for comparison; the output is the same).
)ROFF";

}  // namespace

std::string man_page(const CLI::App& app, const std::string& version) {
  std::string description = app.get_description();
  std::string summary = description.substr(0, description.find('\n'));
  std::string name_line = summary.substr(summary.find(": ") == std::string::npos ? 0 : summary.find(": ") + 2);
  std::string out = fmt::format(".TH KUBEBLAME 1 \"\" \"kubeblame {}\" \"User Commands\"\n", roff(version, false));
  out += ".SH NAME\nkubeblame \\- " + roff(name_line, false) + "\n";
  out += ".SH SYNOPSIS\n";
  for (const CLI::App* command : commands(app)) {
    std::string positionals;
    for (const CLI::Option* opt : command->get_options([](const CLI::Option* o) { return !o->nonpositional(); })) {
      // A list takes many values (PATH ...); a required value has no brackets (SHELL).
      std::string name = "\\fI" + roff(opt->get_type_name(), false) + "\\fR";
      if (opt->get_expected_max() > 1) name += " ...";
      positionals += opt->get_required() ? " " + name : " [" + name + "]";
    }
    out += ".B kubeblame " + command->get_name() + "\n[\\fIOPTIONS\\fR]" + positionals + "\n.br\n";
  }
  out += ".B kubeblame\n[\\fIOPTIONS\\fR] [\\fIPATH\\fR ...]\n.br\n";
  out += ".B kubeblame\n\\fB\\-\\-version\\fR | \\fB\\-V\\fR | \\fB\\-\\-help\\fR\n";
  out += ".SH DESCRIPTION\n" + roff(description, false) + "\n.PP\n" +
         "\\fBtop\\fR is the default command: \\fBkubeblame audit.log\\fR means "
         "\\fBkubeblame top audit.log\\fR. Without a PATH, or with \\fB\\-\\fR, the input is read "
         "from stdin.\n";
  out += commands_section(app) + options_section(app) + kTail;
  out += ".SH EXAMPLES\n" + examples_block(split_footer(app.get_footer()).examples);
  for (const CLI::App* command : commands(app)) {
    if (command->get_footer() == app.get_footer()) continue;
    Footer footer = split_footer(command->get_footer());
    if (footer.examples.empty()) continue;
    out += ".SS \"kubeblame " + command->get_name() + "\"\n" + examples_block(footer.examples);
  }
  out += ".SH \"SEE ALSO\"\n\\fBkubeblame \\-\\-help\\fR, \\fBkubeblame\\fR \\fICOMMAND\\fR \\fB\\-\\-help\\fR\n";
  return out;
}

}  // namespace kubeblame::cli
