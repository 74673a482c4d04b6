// Completion scripts from the CLI11 definition: commands and options are read from the app, value
// lists from OptionValues; any other option argument completes to nothing and positionals to files.
#include "kubeblame/cli/completion.h"

#include <fmt/format.h>

namespace kubeblame::cli {

namespace {

std::vector<const CLI::App*> commands(const CLI::App& app) {
  // Hidden subcommands (empty group) are left out, as in --help.
  return app.get_subcommands([](const CLI::App* sub) { return !sub->get_group().empty(); });
}

std::vector<const CLI::Option*> named_options(const CLI::App& command) {
  return command.get_options([](const CLI::Option* opt) { return opt->nonpositional(); });
}

std::vector<std::string> option_names(const CLI::Option& opt) {
  std::vector<std::string> names;
  for (const std::string& s : opt.get_snames()) names.push_back("-" + s);
  for (const std::string& l : opt.get_lnames()) names.push_back("--" + l);
  return names;
}

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

std::string long_name(const CLI::Option& opt) {
  return opt.get_lnames().empty() ? "-" + opt.get_snames().front() : "--" + opt.get_lnames().front();
}

// The first clause of an option's help, as zsh shows it next to the option.
std::string short_description(const std::string& text) {
  std::size_t paren = text.find(" (");
  std::string out = text.substr(0, std::min(text.find(';'), paren < 24 ? text.find(" (", 24) : paren));
  if (out.size() > 72) out = out.substr(0, out.rfind(' ', 69)) + "...";
  for (char& c : out) {
    if (c == '[') c = '(';
    if (c == ']') c = ')';
    if (c == '\n') c = ' ';
  }
  return out;
}

std::string zsh_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The bash `case $prev` arms of one command: value lists, and value options with nothing to offer.
std::string bash_value_cases(const CLI::App& command, const OptionValues& values) {
  std::string out;
  std::vector<std::string> free_values;
  for (const CLI::Option* opt : named_options(command)) {
    if (opt->get_expected_max() == 0) continue;  // a flag
    std::string pattern = join(option_names(*opt), "|");
    if (const auto* list = values.find(command.get_name(), long_name(*opt))) {
      bool comma = values.comma_lists.contains(long_name(*opt));
      out += fmt::format("        {}) values=\"{}\"; comma={} ;;\n", pattern, join(*list, " "), comma ? 1 : 0);
    } else {
      free_values.push_back(pattern);
    }
  }
  if (!free_values.empty()) out += fmt::format("        {}) return 0 ;;\n", join(free_values, "|"));
  return out;
}

std::string bash_command_arm(const CLI::App& command, const OptionValues& values) {
  std::vector<std::string> words;
  for (const CLI::Option* opt : named_options(command)) {
    for (const std::string& name : option_names(*opt)) words.push_back(name);
  }
  std::string positional;
  for (const CLI::Option* opt : command.get_options()) {
    if (opt->nonpositional()) continue;
    if (const auto* list = values.find(command.get_name(), opt->get_name(true))) positional = join(*list, " ");
  }
  return fmt::format(
      "    {})\n      opts=\"{}\"\n      positional=\"{}\"\n      case $prev in\n{}      esac ;;\n",
      command.get_name(), join(words, " "), positional, bash_value_cases(command, values));
}

constexpr const char* kBashBody = R"SH(
  if [[ -n $values ]]; then
    if (( comma )); then
      compopt -o nospace 2>/dev/null
      local head=
      [[ $cur == *,* ]] && head=${cur%,*},
      COMPREPLY=($(compgen -P "$head" -W "$values" -- "${cur##*,}"))
    else
      COMPREPLY=($(compgen -W "$values" -- "$cur"))
    fi
    return 0
  fi
  if [[ $cur == -* ]]; then
    # The first word may also be a flag of kubeblame itself (--version, -V, --help).
    (( COMP_CWORD == 1 )) && opts="$toplevel $opts"
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    return 0
  fi
  if [[ -n $positional ]]; then
    COMPREPLY=($(compgen -W "$positional" -- "$cur"))
    return 0
  fi
  (( COMP_CWORD == 1 )) && COMPREPLY=($(compgen -W "$commands" -- "$cur"))
  compopt -o filenames 2>/dev/null
  COMPREPLY+=($(compgen -f -- "$cur"))
}
complete -F _kubeblame kubeblame
)SH";

std::string zsh_option_spec(const std::string& command, const CLI::Option& opt, const OptionValues& values) {
  std::vector<std::string> names = option_names(opt);
  std::string spec = names.size() == 1 ? zsh_quote("*" + names[0])
                                       : zsh_quote("*") + "{" + join(names, ",") + "}";
  std::string tail = "[" + short_description(opt.get_description()) + "]";
  if (opt.get_expected_max() != 0) {
    std::string type = opt.get_type_name().empty() ? "VALUE" : opt.get_type_name();
    std::string action = " ";
    if (const auto* list = values.find(command, long_name(opt))) {
      action = values.comma_lists.contains(long_name(opt))
                   ? "_sequence compadd - " + join(*list, " ")
                   : "(" + join(*list, " ") + ")";
    }
    tail += ":" + type + ":" + action;
  }
  return spec + zsh_quote(tail);
}

std::string zsh_command_function(const CLI::App& command, const OptionValues& values) {
  std::string out = fmt::format("_kubeblame_{}() {{\n  _arguments -s \\\n", command.get_name());
  for (const CLI::Option* opt : named_options(command)) {
    out += "    " + zsh_option_spec(command.get_name(), *opt, values) + " \\\n";
  }
  std::string positional = "'*:PATH:_files'";
  for (const CLI::Option* opt : command.get_options()) {
    if (opt->nonpositional()) continue;
    std::string name = opt->get_name(true);
    if (const auto* list = values.find(command.get_name(), name)) {
      positional = zsh_quote("1:" + name + ":(" + join(*list, " ") + ")");
    }
  }
  return out + "    " + positional + "\n}\n\n";
}

// kubeblame's own flags (--help, -h, --version, -V), offered as the first word.
std::vector<std::string> top_level_flags(const CLI::App& app) {
  std::vector<std::string> out;
  for (const CLI::Option* opt : named_options(app)) {
    for (const std::string& name : option_names(*opt)) out.push_back(name);
  }
  return out;
}

}  // namespace

const std::vector<std::string>* OptionValues::find(const std::string& command,
                                                   const std::string& option) const {
  auto it = values.find({command, option});
  return it == values.end() ? nullptr : &it->second;
}

std::string bash_completion(const CLI::App& app, const OptionValues& values) {
  std::vector<std::string> names;
  std::string arms;
  for (const CLI::App* command : commands(app)) {
    names.push_back(command->get_name());
    arms += bash_command_arm(*command, values);
  }
  std::string out = fmt::format(
      "# bash completion for kubeblame, generated by `kubeblame completion bash`.\n"
      "# Install: source <(kubeblame completion bash)  (e.g. in ~/.bashrc)\n"
      "_kubeblame() {{\n"
      "  local cur=${{COMP_WORDS[COMP_CWORD]}} prev= cmd=top i\n"
      "  local commands=\"{0}\" toplevel=\"{2}\" opts= positional= values= comma=0\n"
      "  (( COMP_CWORD > 1 )) && prev=${{COMP_WORDS[COMP_CWORD-1]}}\n"
      "  # --opt=value: bash splits at '=' (COMP_WORDBREAKS).\n"
      "  if [[ $cur == = ]]; then cur=; elif [[ $prev == = ]]; then prev=${{COMP_WORDS[COMP_CWORD-2]}}; fi\n"
      "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      "    case ${{COMP_WORDS[i]}} in\n"
      "      {1}) cmd=${{COMP_WORDS[i]}}; break ;;\n"
      "    esac\n"
      "  done\n"
      "  COMPREPLY=()\n"
      "  case $cmd in\n",
      join(names, " "), join(names, "|"), join(top_level_flags(app), " "));
  return out + arms + "  esac" + kBashBody;
}

std::string zsh_completion(const CLI::App& app, const OptionValues& values) {
  std::string out =
      "#compdef kubeblame\n"
      "# zsh completion for kubeblame, generated by `kubeblame completion zsh`.\n"
      "# Install: kubeblame completion zsh > ~/.zfunc/_kubeblame, with fpath=(~/.zfunc $fpath)\n"
      "# before compinit in ~/.zshrc.\n\n";
  std::vector<std::string> described;
  std::vector<std::string> names;
  for (const CLI::App* command : commands(app)) {
    out += zsh_command_function(*command, values);
    names.push_back(command->get_name());
    described.push_back(zsh_quote(command->get_name() + ":" + short_description(command->get_description())));
  }
  out += fmt::format(
      "_kubeblame() {{\n"
      "  local -a commands\n"
      "  commands=({0})\n"
      "  if (( CURRENT == 2 )) && [[ $PREFIX == -* ]]; then\n"
      "    compadd -- {2}\n"
      "  fi\n"
      "  if (( CURRENT == 2 )) && [[ $PREFIX != -* ]]; then\n"
      "    _describe -t commands 'kubeblame command' commands\n"
      "    _files\n"
      "    return\n"
      "  fi\n"
      "  local cmd=top\n"
      "  case $words[2] in\n"
      "    ({1}) cmd=$words[2]; shift words; (( CURRENT-- )) ;;\n"
      "  esac\n"
      "  _kubeblame_$cmd\n"
      "}}\n\n"
      "_kubeblame \"$@\"\n",
      join(described, " "), join(names, "|"), join(top_level_flags(app), " "));
  return out;
}

}  // namespace kubeblame::cli
