// Command line: one CLI11 subcommand per command-table entry, then validation into a Config.
// `top` is the default subcommand: `kubeblame audit.log` means `kubeblame top audit.log`.
// Built in next to the table: `completion`, `help [command]`, `version` (and -V/--version), and
// the hidden `--man` that the build uses to write kubeblame.1.
#include "kubeblame/cli/command_line.h"

#include <fmt/format.h>
#include <kubeblame/version.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <thread>

#include "kubeblame/cli/completion.h"
#include "kubeblame/decode/format_table.h"
#include "kubeblame/cli/exit_code.h"
#include "kubeblame/cli/man_page.h"

namespace kubeblame::cli {

namespace {

constexpr const char* kDescription =
    "kubeblame: who loads the Kubernetes API server, with which requests, which errors dominate.\n"
    "Reads audit logs (raw audit.log, AKS Log Analytics exports, Azure diagnostic archives) and\n"
    "control-plane logs (AKSControlPlane, kube-apiserver klog files), plain or compressed (gzip,\n"
    "zstd), from files, directories or stdin.";

constexpr const char* kCompletionExamples = R"EX(
Examples:
  source <(kubeblame completion bash)                bash: in ~/.bashrc
  kubeblame completion zsh > ~/.zfunc/_kubeblame     zsh: with fpath=(~/.zfunc $fpath) before compinit

The scripts complete commands, options, the values of --by (comma lists), --format, --sort,
--input-format, --color and --level, and file names.
Exit codes: 0 ok, 2 usage error.
)EX";

constexpr std::string_view kBuiltins[] = {"completion", "help", "version"};

std::string join(const std::vector<std::string>& items, std::string_view last_separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? std::string(last_separator) : std::string(", ");
    out += items[i];
  }
  return out;
}

const CommandDefinition* find_definition(CommandTable commands, std::string_view name) {
  for (const CommandDefinition* command : commands) {
    if (command->name() == name) return command;
  }
  return nullptr;
}

bool is_subcommand(CommandTable commands, std::string_view word) {
  return find_definition(commands, word) != nullptr ||
         std::find(std::begin(kBuiltins), std::end(kBuiltins), word) != std::end(kBuiltins);
}

// Optimal string alignment distance: edits, with a swap of neighbours as one edit ("tpo").
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// The command a mistyped word was probably meant to be, if one is close enough.
std::optional<std::string> close_command(CommandTable commands, std::string_view word) {
  std::optional<std::string> best;
  std::size_t best_distance = word.size() <= 3 ? 1 : 2;
  for (const CommandDefinition* command : commands) {
    std::size_t distance = edit_distance(word, command->name());
    if (distance <= best_distance && (!best || distance < edit_distance(word, *best))) {
      best = std::string(command->name());
    }
  }
  return best;
}

// Inserts `top` when no command is named. Throws for a word that is neither a file nor a
// command but close to one ("tpo").
std::vector<std::string> normalize_args(int argc, char** argv, CommandTable commands) {
  std::vector<std::string> args(argv, argv + argc);
  static const std::vector<std::string> kTopLevelFlags = {"--help", "-h", "--version", "-V"};
  bool top_level_flag = args.size() >= 2 && std::find(kTopLevelFlags.begin(), kTopLevelFlags.end(), args[1]) !=
                                                 kTopLevelFlags.end();
  if (args.size() >= 2 && (is_subcommand(commands, args[1]) || top_level_flag)) return args;
  if (args.size() >= 2 && !args[1].empty() && args[1][0] != '-' && args[1] != "-") {
    std::error_code ec;
    if (!std::filesystem::exists(args[1], ec)) {
      if (auto meant = close_command(commands, args[1])) {
        usage_error("unknown command '" + args[1] + "'; did you mean '" + *meant + "'?");
      }
    }
  }
  args.insert(args.begin() + 1, "top");
  return args;
}

std::vector<std::string> command_names(CommandTable commands) {
  std::vector<std::string> names;
  for (const CommandDefinition* command : commands) names.emplace_back(command->name());
  return names;
}

std::vector<std::string> input_format_names() {
  std::vector<std::string> names;
  for (const decode::HintRow& row : decode::hint_table()) names.emplace_back(row.name);
  return names;
}

// Completion values for each command's options, by long name (the same lists validate() accepts).
OptionValues option_values(const CLI::App& app, CommandTable commands) {
  const std::map<std::string, std::vector<std::string>> by_option = {
      {"--by", split_list(analyze::dimension_list())},
      {"--input-format", input_format_names()},
      {"--color", {"auto", "always", "never"}},
      {"--level", {"error", "warning", "info", "fatal"}},
      {"shell", {"bash", "zsh"}},
      {"command", command_names(commands)}};
  OptionValues out;
  out.comma_lists = {"--by"};
  for (const CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; })) {
    for (const CLI::Option* opt : command->get_options()) {
      std::string name = opt->nonpositional() ? "--" + (opt->get_lnames().empty() ? std::string() : opt->get_lnames()[0])
                                              : opt->get_name(true);
      auto it = by_option.find(name);
      if (it != by_option.end()) out.values[{command->get_name(), name}] = it->second;
      const CommandDefinition* definition = find_definition(commands, command->get_name());
      if (name == "--sort" && definition != nullptr) out.values[{command->get_name(), name}] = definition->sort_keys();
    }
  }
  for (const CommandDefinition* command : commands) out.values[{std::string(command->name()), "--format"}] = command->formats();
  return out;
}

// The whole command line as CLI11 definitions; parsing, `completion` and `--man` read it.
void build_app(CLI::App& app, RawOptions& raw, std::string& shell, CommandTable commands) {
  app.set_version_flag("-V,--version", std::string("kubeblame ") + kVersion);
  app.require_subcommand(1);
  app.footer(std::string(find_definition(commands, "top")->examples()));
  for (const CommandDefinition* definition : commands) {
    CLI::App* command = app.add_subcommand(std::string(definition->name()), std::string(definition->summary()));
    definition->declare(*command, raw);
    if (definition->reads_input()) add_common_options(*command, raw, join(definition->formats(), " or "));
    command->footer(std::string(definition->examples()));
  }
  CLI::App* completion = app.add_subcommand(
      "completion", "Print a shell completion script (bash or zsh) generated from these options");
  completion->add_option("shell", shell, "bash or zsh")->type_name("SHELL")->required();
  completion->footer(kCompletionExamples);
  CLI::App* help = app.add_subcommand("help", "Print the help of kubeblame or of one command (= COMMAND --help)");
  help->add_option("command", raw.help_command, "The command")->type_name("COMMAND");
  app.add_subcommand("version", "Print the version (= --version, -V)");
}

// `kubeblame help [COMMAND]`: the same text as `kubeblame [COMMAND] --help`.
int print_help(CLI::App& app, const std::string& name) {
  if (name.empty()) {
    std::cout << app.help();
    return kExitOk;
  }
  CLI::App* command = nullptr;
  try {
    command = app.get_subcommand(name);
  } catch (const CLI::OptionNotFound&) {
    usage_error("unknown command '" + name + "' (see kubeblame --help)");
  }
  std::cout << command->help("kubeblame");
  return kExitOk;
}

void validate_output(const RawOptions& raw, const CommandDefinition& command, Config& config) {
  std::vector<std::string> formats = command.formats();
  auto format = report::parse_output_format(raw.format);
  if (!format) usage_error("unknown --format '" + raw.format + "'; valid: " + join(formats, ", "));
  bool offered = std::any_of(formats.begin(), formats.end(),
                             [&](const std::string& name) { return report::parse_output_format(name) == format; });
  if (!offered && *format == report::OutputFormat::kCsv) {
    usage_error(std::string(command.name()) + " supports " + join(formats, " and ") +
                " (csv has one table per command: use top, errors or fights -f csv)");
  }
  if (!offered) {
    usage_error("--format html is only for report (one page with every section); valid here: " +
                join(formats, ", "));
  }
  config.format = *format;
  if (raw.color == "auto") config.color = ColorMode::kAuto;
  else if (raw.color == "always") config.color = ColorMode::kAlways;
  else if (raw.color == "never") config.color = ColorMode::kNever;
  else usage_error("unknown --color '" + raw.color + "'; valid: auto, always, never");
  // NO_COLOR (https://no-color.org) is read here, once: auto then means never.
  const char* no_color = std::getenv("NO_COLOR");
  if (config.color == ColorMode::kAuto && no_color != nullptr && no_color[0] != '\0') config.color = ColorMode::kNever;
  if (raw.progress && raw.no_progress) usage_error("--progress and --no-progress exclude each other");
  config.progress = raw.progress                    ? ProgressMode::kAlways
                    : raw.no_progress || raw.quiet ? ProgressMode::kNever
                                                   : ProgressMode::kAuto;
  config.quiet = raw.quiet;
  config.verbosity = raw.verbose;
  config.stats = raw.stats;
}

void validate_reading(const RawOptions& raw, Config& config) {
  auto hint = decode::parse_format_hint(raw.input_format);
  if (!hint) usage_error("unknown --input-format '" + raw.input_format + "'; valid: " + decode::format_hint_names());
  config.input_format = *hint;
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  config.threads = raw.threads == 0 ? cores : raw.threads;
  if (config.threads > 256) usage_error("--threads must be between 1 and 256");
  config.chunk_size = parse_size(raw.chunk_size);
  config.max_line = parse_size(raw.max_line);
  config.max_groups = raw.max_groups;
  if (config.chunk_size == 0) usage_error("--chunk-size must be at least 1 byte");
  if (config.max_line == 0) usage_error("--max-line-size must be at least 1 byte");
  config.strict = raw.strict;
  config.keep_duplicates = raw.keep_duplicates;
}

void validate_privacy_and_filters(const RawOptions& raw, Config& config) {
  config.redact = raw.redact || !raw.redact_key.empty();
  config.redact_key = raw.redact_key;
  if (config.redact && config.redact_key.empty()) {
    const char* env = std::getenv("KUBEBLAME_REDACT_KEY");
    if (env != nullptr) config.redact_key = env;
  }
  if (!raw.since.empty()) config.filters.since = analyze::parse_time_bound("--since", raw.since);
  if (!raw.until.empty()) config.filters.until = analyze::parse_time_bound("--until", raw.until);
  for (const std::string& text : raw.where) config.filters.where.push_back(analyze::parse_where_clause(text));
}

Config validate(const RawOptions& raw, const CommandDefinition& command) {
  Config config;
  config.command = std::string(command.name());
  config.inputs = raw.inputs;
  config.fights = raw.fights;
  validate_output(raw, command, config);
  validate_reading(raw, config);
  validate_privacy_and_filters(raw, config);
  command.validate(raw, config);
  return config;
}

int print_completion(const CLI::App& app, const std::string& shell, CommandTable commands) {
  if (shell != "bash" && shell != "zsh") usage_error("unknown shell '" + shell + "'; valid: bash, zsh");
  OptionValues values = option_values(app, commands);
  std::cout << (shell == "bash" ? bash_completion(app, values) : zsh_completion(app, values));
  return kExitOk;
}

// The command line as a shell would retype it (for kql's query header): words with characters
// outside a safe set are single-quoted.
std::string quoted_command_line(int argc, char** argv) {
  std::string out = "kubeblame";
  for (int i = 1; i < argc; ++i) {
    std::string_view word = argv[i];
    bool safe = !word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                        "0123456789_,./:=@%+-") == std::string_view::npos;
    if (safe) {
      out += " " + std::string(word);
      continue;
    }
    out += " '";
    for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    out += "'";
  }
  return out;
}

const CommandDefinition* parsed_command(const CLI::App& app, CommandTable commands) {
  for (const CLI::App* sub : app.get_subcommands()) {
    if (const CommandDefinition* definition = find_definition(commands, sub->get_name())) return definition;
  }
  return nullptr;
}

}  // namespace

std::size_t parse_size(const std::string& text) {
  std::size_t pos = 0;
  unsigned long long value = 0;
  try {
    value = std::stoull(text, &pos);
  } catch (const std::exception&) {
    usage_error("invalid size '" + text + "' (examples: 65536, 256K, 64M, 1G)");
  }
  if (text.empty() || text[0] == '-') usage_error("invalid size '" + text + "' (examples: 65536, 256K, 64M, 1G)");
  std::string suffix = text.substr(pos);
  for (char& c : suffix) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  unsigned long long multiplier = 1;
  if (suffix.empty() || suffix == "B") multiplier = 1;
  else if (suffix == "K" || suffix == "KB" || suffix == "KIB") multiplier = 1ull << 10;
  else if (suffix == "M" || suffix == "MB" || suffix == "MIB") multiplier = 1ull << 20;
  else if (suffix == "G" || suffix == "GB" || suffix == "GIB") multiplier = 1ull << 30;
  else usage_error("invalid size '" + text + "' (examples: 65536, 256K, 64M, 1G)");
  if (value > (1ull << 40) / multiplier) usage_error("size '" + text + "' is too large");
  return static_cast<std::size_t>(value * multiplier);
}

ParseResult parse_command_line(int argc, char** argv, CommandTable commands) {
  CLI::App app{kDescription, "kubeblame"};
  RawOptions raw;
  std::string shell;
  build_app(app, raw, shell, commands);
  ParseResult result;
  if (argc == 2 && std::strcmp(argv[1], "--man") == 0) {  // hidden: the build makes kubeblame.1 with it
    std::cout << man_page(app, kVersion);
    return result;
  }
  try {
    std::vector<std::string> args = normalize_args(argc, argv, commands);
    std::vector<char*> pointers;
    pointers.reserve(args.size());
    for (std::string& arg : args) pointers.push_back(arg.data());
    app.parse(static_cast<int>(pointers.size()), pointers.data());
    if (app.get_subcommand("completion")->parsed()) {
      result.exit_code = print_completion(app, shell, commands);
      return result;
    }
    if (app.get_subcommand("help")->parsed()) {
      result.exit_code = print_help(app, raw.help_command);
      return result;
    }
    if (app.get_subcommand("version")->parsed()) {
      std::cout << "kubeblame " << kVersion << "\n";
      return result;
    }
    result.config = validate(raw, *parsed_command(app, commands));
    result.config.command_line = quoted_command_line(argc, argv);
    result.run = true;
  } catch (const CLI::CallForHelp& e) {
    result.exit_code = app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    result.exit_code = app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    result.exit_code = app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "kubeblame: " << e.what() << " (see kubeblame --help)\n";
    result.exit_code = kExitUsage;
  } catch (const std::invalid_argument& e) {
    std::cerr << "kubeblame: " << e.what() << "\n";
    result.exit_code = kExitUsage;
  }
  return result;
}

}  // namespace kubeblame::cli
